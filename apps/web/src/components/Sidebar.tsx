import { Link, useLocation } from "wouter";
import { useOpenCreateRoom } from "../hooks/useCreateRoom";
import { useMe } from "../hooks/useMe";
import { useSession } from "../hooks/useSession";
import { errorMessage } from "../lib/errors";
import { trpc } from "../trpc";
import { Avatar } from "./Avatar";
import { Icon } from "./Icon";
import { Logo } from "./Logo";

export function Sidebar({ open, onClose }: { open: boolean; onClose: () => void }) {
  const me = useMe();
  const [location] = useLocation();
  const openCreateRoom = useOpenCreateRoom();
  const { logout, loggingOut, logoutError } = useSession();
  // Other members' messages reorder this list; there is no per-user push channel, so poll gently.
  const mine = trpc.rooms.mine.useQuery(undefined, { refetchInterval: 30_000 });
  const rooms = [...(mine.data ?? [])].sort((a, b) => b.lastActivityAt.getTime() - a.lastActivityAt.getTime());

  return (
    <nav id="sidebar" className="sidebar" data-open={open} aria-label="Main">
      <div className="sidebar-header">
        <Link href="/" className="brand">
          <Logo />
          <span>Murmur</span>
        </Link>
        <button type="button" className="icon-button sidebar-close" aria-label="Close menu" onClick={onClose}>
          <Icon name="close" />
        </button>
      </div>

      <div className="sidebar-actions">
        <Link
          href="/"
          className="sidebar-link"
          aria-current={location === "/" ? "page" : undefined}
          data-testid="browse-link"
        >
          <Icon name="compass" size={18} />
          <span>Browse rooms</span>
        </Link>
        <button type="button" className="sidebar-link" onClick={openCreateRoom} data-testid="create-room-button">
          <Icon name="plus" size={18} />
          <span>Create room</span>
        </button>
      </div>

      <h2 className="sidebar-heading" id="my-rooms-heading">
        My rooms
      </h2>
      <div className="sidebar-rooms">
        {mine.isPending ? (
          <p className="sidebar-note">Loading…</p>
        ) : mine.error ? (
          <p className="sidebar-note">
            Couldn't load your rooms.{" "}
            <button type="button" className="link-button" onClick={() => void mine.refetch()}>
              Retry
            </button>
          </p>
        ) : rooms.length === 0 ? (
          <p className="sidebar-note">You haven't joined any rooms yet. Browse the directory to find one.</p>
        ) : (
          <ul className="room-links" aria-labelledby="my-rooms-heading">
            {rooms.map((room) => {
              const href = `/rooms/${room.id}`;
              return (
                <li key={room.id}>
                  <Link
                    href={href}
                    className="sidebar-link room-link"
                    aria-current={location === href ? "page" : undefined}
                    data-testid="room-link"
                    data-room-id={room.id}
                  >
                    <Icon name="hash" size={16} />
                    <span className="room-link-name">{room.name}</span>
                  </Link>
                </li>
              );
            })}
          </ul>
        )}
      </div>

      <div className="sidebar-footer">
        <Avatar name={me.username} online />
        <div className="sidebar-user">
          <span className="sidebar-username" data-testid="current-user">
            {me.username}
          </span>
          {logoutError ? (
            <span className="sidebar-user-error" role="alert">
              {errorMessage(logoutError)}
            </span>
          ) : (
            <span className="sidebar-user-status">Online</span>
          )}
        </div>
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={() => void logout()}
          disabled={loggingOut}
          data-testid="logout-button"
        >
          <Icon name="logout" size={16} />
          <span>Log out</span>
        </button>
      </div>
    </nav>
  );
}
