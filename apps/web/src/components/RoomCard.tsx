import type { Room } from "@murmur/api-contract";
import { Link, useLocation } from "wouter";
import { categoryLabel } from "../lib/categories";
import { errorMessage } from "../lib/errors";
import { relativeTime } from "../lib/time";
import { trpc } from "../trpc";

export function RoomCard({ room }: { room: Room }) {
  const [, navigate] = useLocation();
  const utils = trpc.useUtils();
  const join = trpc.rooms.join.useMutation({
    onSuccess: (joined) => {
      utils.rooms.get.setData({ roomId: joined.id }, joined);
      void utils.rooms.mine.invalidate();
      void utils.rooms.list.invalidate();
      navigate(`/rooms/${joined.id}`);
    },
  });
  const full = room.memberCount >= room.memberLimit;
  const href = `/rooms/${room.id}`;

  return (
    <li className="room-card" data-testid="room-card" data-room-id={room.id}>
      <div className="room-card-main">
        <h3 className="room-card-name">
          <Link href={href}>{room.name}</Link>
        </h3>
        {room.description ? (
          <p className="room-card-description">{room.description}</p>
        ) : (
          <p className="room-card-description is-empty">No description</p>
        )}
        <div className="room-card-meta">
          <span className="chip">{categoryLabel(room.category)}</span>
          <span aria-label={`${room.memberCount} of ${room.memberLimit} members`}>
            {room.memberCount} / {room.memberLimit} members
          </span>
          <span>active {relativeTime(room.lastActivityAt)}</span>
        </div>
        {join.error && (
          <p className="inline-error" role="alert">
            {errorMessage(join.error)}
          </p>
        )}
      </div>
      <div className="room-card-action">
        {room.myRole ? (
          <Link href={href} className="button button-secondary" data-testid="open-room-button">
            Open
          </Link>
        ) : (
          <button
            type="button"
            className="button button-primary"
            disabled={join.isPending || full}
            onClick={() => join.mutate({ roomId: room.id })}
            aria-label={`Join ${room.name}`}
            data-testid="join-room-button"
          >
            {full ? "Full" : join.isPending ? "Joining…" : "Join"}
          </button>
        )}
      </div>
    </li>
  );
}
