import type { DmConversation } from "@murmur/api-contract";
import { Link, useLocation } from "wouter";
import { useMe } from "../hooks/useMe";
import { useConversations } from "../hooks/useSidebarData";
import { Avatar } from "./Avatar";
import { Icon } from "./Icon";
import { SidebarList } from "./SidebarList";
import { UnreadBadge } from "./UnreadBadge";

function preview(conversation: DmConversation, meId: string): string {
  const last = conversation.lastMessage;
  if (!last) return "No messages yet";
  return last.sender.id === meId ? `You: ${last.content}` : last.content;
}

export function SidebarDms({ onNewMessage }: { onNewMessage: () => void }) {
  const me = useMe();
  const [location] = useLocation();
  const conversations = useConversations();
  const items = [...(conversations.data?.items ?? [])].sort(
    (a, b) => b.lastMessageAt.getTime() - a.lastMessageAt.getTime(),
  );

  return (
    <section className="sidebar-section" aria-labelledby="dms-heading">
      <div className="sidebar-heading-row">
        <h2 className="sidebar-heading" id="dms-heading">
          Direct messages
        </h2>
        <button
          type="button"
          className="icon-button icon-button-small"
          onClick={onNewMessage}
          aria-label="New message"
          title="New message"
          data-testid="new-dm-button"
        >
          <Icon name="plus" size={16} />
        </button>
      </div>
      <SidebarList query={conversations} what="your messages" empty="No conversations yet." count={items.length}>
        {items.map((c) => {
          const href = `/dm/${c.peer.id}`;
          return (
            <li key={c.id}>
              <Link
                href={href}
                className={`sidebar-link room-link dm-link${c.unreadCount > 0 ? " has-unread" : ""}`}
                aria-current={location === href ? "page" : undefined}
                data-testid="dm-link"
                data-peer-id={c.peer.id}
                data-unread={c.unreadCount}
              >
                <Avatar name={c.peer.username} size="sm" online={c.peer.isOnline} />
                <span className="room-link-text">
                  <span className="room-link-name">
                    {c.peer.username}
                    <span className="visually-hidden">{c.peer.isOnline ? " (online)" : " (offline)"}</span>
                  </span>
                  <span className="room-link-preview" data-testid="dm-preview">
                    {preview(c, me.id)}
                  </span>
                </span>
                <UnreadBadge count={c.unreadCount} />
              </Link>
            </li>
          );
        })}
      </SidebarList>
    </section>
  );
}
