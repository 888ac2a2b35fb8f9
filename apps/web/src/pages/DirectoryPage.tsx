import { LIMITS, ROOM_CATEGORIES, type RoomCategory } from "@murmur/api-contract";
import { useState } from "react";
import { Icon } from "../components/Icon";
import { RoomCard } from "../components/RoomCard";
import { useOpenDialog } from "../hooks/useAppDialogs";
import { useDebouncedValue } from "../hooks/useDebouncedValue";
import { categoryLabel } from "../lib/categories";
import { errorMessage } from "../lib/errors";
import { trpc } from "../trpc";

export function DirectoryPage() {
  const openDialog = useOpenDialog();
  const openCreateRoom = () => openDialog("create-room");
  const [search, setSearch] = useState("");
  const [category, setCategory] = useState<RoomCategory | "">("");
  const q = useDebouncedValue(search.trim(), 250);

  const rooms = trpc.rooms.list.useInfiniteQuery(
    { q: q || undefined, category: category || undefined },
    { getNextPageParam: (page) => page.nextCursor, placeholderData: (previous) => previous },
  );
  const items = rooms.data?.pages.flatMap((p) => p.items) ?? [];
  const filtered = Boolean(q || category);

  return (
    <div className="page directory-page">
      <header className="page-header">
        <div>
          <h1>Browse rooms</h1>
          <p className="page-subtitle">Find a conversation to join, or start your own.</p>
        </div>
        <button type="button" className="button button-primary" onClick={openCreateRoom}>
          <Icon name="plus" size={18} />
          <span>New room</span>
        </button>
      </header>

      <form className="directory-filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <div className="search-input">
          <Icon name="search" size={18} />
          <label htmlFor="room-search" className="visually-hidden">
            Search rooms
          </label>
          <input
            id="room-search"
            type="search"
            placeholder="Search rooms by name"
            maxLength={LIMITS.roomSearchMax}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="room-search"
          />
        </div>
        <label htmlFor="room-category" className="visually-hidden">
          Category
        </label>
        <select
          id="room-category"
          value={category}
          onChange={(e) => setCategory(e.target.value as RoomCategory | "")}
          data-testid="category-filter"
        >
          <option value="">All categories</option>
          {ROOM_CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {categoryLabel(c)}
            </option>
          ))}
        </select>
      </form>

      {rooms.isPending ? (
        <p className="empty-state">Loading rooms…</p>
      ) : rooms.error && items.length === 0 ? (
        <div className="empty-state" role="alert">
          <p>{errorMessage(rooms.error)}</p>
          <button type="button" className="button button-secondary" onClick={() => void rooms.refetch()}>
            Try again
          </button>
        </div>
      ) : items.length === 0 ? (
        <div className="empty-state">
          <p>{filtered ? "No rooms match your search." : "There are no rooms yet. Be the first to start one!"}</p>
          {!filtered && (
            <button type="button" className="button button-primary" onClick={openCreateRoom}>
              Create a room
            </button>
          )}
        </div>
      ) : (
        <>
          <ul className="room-grid" aria-busy={rooms.isFetching} data-testid="room-directory">
            {items.map((room) => (
              <RoomCard key={room.id} room={room} />
            ))}
          </ul>
          {rooms.hasNextPage && (
            <div className="load-more">
              <button
                type="button"
                className="button button-secondary"
                onClick={() => void rooms.fetchNextPage()}
                disabled={rooms.isFetchingNextPage || rooms.isPlaceholderData}
                data-testid="load-more"
              >
                {rooms.isFetchingNextPage ? "Loading…" : "Load more"}
              </button>
            </div>
          )}
        </>
      )}
    </div>
  );
}
