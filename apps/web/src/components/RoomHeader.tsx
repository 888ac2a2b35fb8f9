import type { Room } from "@murmur/api-contract";
import { categoryLabel } from "../lib/categories";
import { Icon } from "./Icon";
import { RoomCode } from "./RoomCode";

interface RoomHeaderProps {
  room: Room;
  membersOpen: boolean;
  onToggleMembers: () => void;
  onOpenSettings: () => void;
  onLeave: () => void;
  leaving: boolean;
}

export function RoomHeader({ room, membersOpen, onToggleMembers, onOpenSettings, onLeave, leaving }: RoomHeaderProps) {
  const isMember = room.myRole !== null;
  const canManage = room.myRole === "owner" || room.myRole === "moderator";
  const memberLabel = `${room.memberCount} ${room.memberCount === 1 ? "member" : "members"}`;
  const showCode = isMember && room.roomCode && (room.isPrivate || room.isSuperSecret);
  return (
    <header className="room-header">
      <div className="room-header-info">
        <h1 className="room-title">
          <Icon name={room.isSuperSecret ? "shield" : room.isPrivate ? "lock" : "hash"} size={20} />
          <span data-testid="room-name">{room.name}</span>
          {room.isSuperSecret ? (
            <span className="chip chip-muted">Super-secret</span>
          ) : room.isPrivate ? (
            <span className="chip chip-muted">Private</span>
          ) : null}
          <span className="chip">{categoryLabel(room.category)}</span>
        </h1>
        {room.description && (
          <p className="room-description" title={room.description}>
            {room.description}
          </p>
        )}
      </div>
      <div className="room-header-actions">
        {showCode && room.roomCode && <RoomCode code={room.roomCode} />}
        {isMember ? (
          <button
            type="button"
            className={`button button-ghost members-toggle${membersOpen ? " is-active" : ""}`}
            onClick={onToggleMembers}
            aria-pressed={membersOpen}
            // The panel only exists while open; pointing at it when closed would name a missing element.
            aria-controls={membersOpen ? "members-panel" : undefined}
            title={`${membersOpen ? "Hide" : "Show"} members`}
            data-testid="members-toggle"
          >
            <Icon name="users" size={18} />
            <span data-testid="member-count">{room.memberCount}</span>
            <span className="visually-hidden"> members</span>
          </button>
        ) : (
          <span className="member-count" data-testid="member-count">
            {memberLabel}
          </span>
        )}
        {canManage && (
          <button
            type="button"
            className="icon-button"
            onClick={onOpenSettings}
            aria-label="Room settings"
            title="Room settings"
            data-testid="room-settings-button"
          >
            <Icon name="settings" size={18} />
          </button>
        )}
        {isMember && (
          <button
            type="button"
            className="button button-ghost"
            onClick={onLeave}
            disabled={leaving}
            data-testid="leave-room-button"
          >
            {leaving ? "Leaving…" : "Leave"}
          </button>
        )}
      </div>
    </header>
  );
}
