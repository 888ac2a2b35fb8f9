import type { Room } from "@murmur/api-contract";
import { useState } from "react";
import { Link } from "wouter";
import { useJoinedRoom } from "../hooks/useJoinedRoom";
import { categoryLabel } from "../lib/categories";
import { errorMessage } from "../lib/errors";
import { relativeTime } from "../lib/time";
import { trpc } from "../trpc";
import { Icon } from "./Icon";
import { JoinPasswordDialog } from "./JoinPasswordDialog";

export function RoomCard({ room }: { room: Room }) {
  const onJoined = useJoinedRoom();
  const join = trpc.rooms.join.useMutation({ onSuccess: onJoined });
  const [askingPassword, setAskingPassword] = useState(false);
  const full = room.memberCount >= room.memberLimit;
  const href = `/rooms/${room.id}`;

  return (
    <li className="room-card" data-testid="room-card" data-room-id={room.id} data-private={room.isPrivate}>
      <div className="room-card-main">
        <h2 className="room-card-name">
          {room.isPrivate && (
            <span className="room-lock" title="Private: password needed to join" data-testid="room-lock">
              <Icon name="lock" size={15} />
              <span className="visually-hidden">Private room: </span>
            </span>
          )}
          <Link href={href}>{room.name}</Link>
        </h2>
        {room.description ? (
          <p className="room-card-description">{room.description}</p>
        ) : (
          <p className="room-card-description is-empty">No description</p>
        )}
        <div className="room-card-meta">
          <span className="chip">{categoryLabel(room.category)}</span>
          {room.isPrivate && <span className="chip chip-muted">Private</span>}
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
            onClick={() => (room.isPrivate ? setAskingPassword(true) : join.mutate({ roomId: room.id }))}
            aria-label={`Join ${room.name}`}
            data-testid="join-room-button"
          >
            {room.isPrivate && !full && <Icon name="lock" size={15} />}
            {full ? "Full" : join.isPending ? "Joining…" : "Join"}
          </button>
        )}
      </div>
      {askingPassword && <JoinPasswordDialog room={room} onClose={() => setAskingPassword(false)} />}
    </li>
  );
}
