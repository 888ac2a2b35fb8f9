import type { Room } from "@murmur/api-contract";
import { categoryLabel } from "../lib/categories";
import { Icon } from "./Icon";

interface RoomHeaderProps {
  room: Room;
  membersOpen: boolean;
  onToggleMembers: () => void;
  onLeave: () => void;
  leaving: boolean;
}

export function RoomHeader({ room, membersOpen, onToggleMembers, onLeave, leaving }: RoomHeaderProps) {
  const isMember = room.myRole !== null;
  const memberLabel = `${room.memberCount} ${room.memberCount === 1 ? "member" : "members"}`;
  return (
    <header className="room-header">
      <div className="room-header-info">
        <h1 className="room-title">
          <Icon name="hash" size={20} />
          <span data-testid="room-name">{room.name}</span>
          <span className="chip">{categoryLabel(room.category)}</span>
        </h1>
        {room.description && (
          <p className="room-description" title={room.description}>
            {room.description}
          </p>
        )}
      </div>
      <div className="room-header-actions">
        {isMember ? (
          <button
            type="button"
            className={`button button-ghost members-toggle${membersOpen ? " is-active" : ""}`}
            onClick={onToggleMembers}
            aria-pressed={membersOpen}
            aria-controls="members-panel"
            aria-label={`${membersOpen ? "Hide" : "Show"} members (${memberLabel})`}
            data-testid="members-toggle"
          >
            <Icon name="users" size={18} />
            <span data-testid="member-count">{room.memberCount}</span>
          </button>
        ) : (
          <span className="member-count" data-testid="member-count">
            {memberLabel}
          </span>
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
