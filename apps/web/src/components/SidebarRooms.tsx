import type { MyRoom } from "@murmur/api-contract";
import { Link, useLocation } from "wouter";
import { useMe } from "../hooks/useMe";
import { useMyRooms } from "../hooks/useSidebarData";
import { Icon } from "./Icon";
import { SidebarList } from "./SidebarList";
import { UnreadBadge } from "./UnreadBadge";

function preview(room: MyRoom, meId: string): string {
  const last = room.lastMessage;
  if (!last) return "No messages yet";
  if (last.messageType === "system" || !last.sender) return last.content;
  return `${last.sender.id === meId ? "You" : last.sender.username}: ${last.content}`;
}

export function SidebarRooms() {
  const me = useMe();
  const [location] = useLocation();
  const mine = useMyRooms();
  const rooms = [...(mine.data ?? [])].sort((a, b) => b.lastActivityAt.getTime() - a.lastActivityAt.getTime());

  return (
    <section className="sidebar-section" aria-labelledby="my-rooms-heading">
      <h2 className="sidebar-heading" id="my-rooms-heading">
        Rooms
      </h2>
      <SidebarList
        query={mine}
        what="your rooms"
        empty="You haven't joined any rooms yet. Browse the directory to find one."
        count={rooms.length}
      >
        {rooms.map((room) => {
          const href = `/rooms/${room.id}`;
          const unread = room.unreadCount;
          return (
            <li key={room.id}>
              <Link
                href={href}
                className={`sidebar-link room-link${unread > 0 ? " has-unread" : ""}`}
                aria-current={location === href ? "page" : undefined}
                data-testid="room-link"
                data-room-id={room.id}
                data-unread={unread}
              >
                <Icon name={room.isSuperSecret ? "shield" : room.isPrivate ? "lock" : "hash"} size={16} />
                <span className="room-link-text">
                  <span className="room-link-name">{room.name}</span>
                  <span className="room-link-preview" data-testid="room-preview">
                    {preview(room, me.id)}
                  </span>
                </span>
                <UnreadBadge count={unread} />
              </Link>
            </li>
          );
        })}
      </SidebarList>
    </section>
  );
}
