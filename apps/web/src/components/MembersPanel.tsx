import { useEffect } from "react";
import { useLocation } from "wouter";
import { useMe } from "../hooks/useMe";
import { errorMessage } from "../lib/errors";
import { relativeTime } from "../lib/time";
import { trpc } from "../trpc";
import { Avatar } from "./Avatar";
import { Icon } from "./Icon";

export function MembersPanel({ roomId, onClose }: { roomId: string; onClose: () => void }) {
  const me = useMe();
  const [, navigate] = useLocation();
  // Presence changes arrive on the live stream and are written into this cached list.
  const members = trpc.rooms.members.useQuery({ roomId });
  const utils = trpc.useUtils();
  const count = members.data?.length;

  // The header's count comes from rooms.get, which nobody pushes; the full list is fresher.
  useEffect(() => {
    if (count === undefined) return;
    utils.rooms.get.setData({ roomId }, (room) =>
      room && room.memberCount !== count ? { ...room, memberCount: count } : room,
    );
  }, [count, roomId, utils]);
  const list = [...(members.data ?? [])].sort(
    (a, b) => Number(b.user.isOnline) - Number(a.user.isOnline) || a.user.username.localeCompare(b.user.username),
  );
  const online = list.filter((m) => m.user.isOnline).length;

  return (
    <aside id="members-panel" className="members-panel" aria-labelledby="members-heading" data-testid="members-panel">
      <header className="members-header">
        <h2 id="members-heading">Members{members.data && <span className="members-count"> · {online} online</span>}</h2>
        <button type="button" className="icon-button" aria-label="Close members panel" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      {members.isPending ? (
        <p className="panel-note">Loading members…</p>
      ) : members.error ? (
        <p className="panel-note" role="alert">
          {errorMessage(members.error)}
        </p>
      ) : (
        <ul className="member-list">
          {list.map(({ user, role }) => (
            <li key={user.id} className="member" data-testid="member" data-online={user.isOnline}>
              <Avatar name={user.username} size="sm" online={user.isOnline} />
              <div className="member-text">
                <span className="member-name">
                  {user.username}
                  {user.id === me.id && <span className="member-you"> (you)</span>}
                </span>
                <span className="member-status">
                  {user.isOnline ? "Online" : user.lastSeen ? `Seen ${relativeTime(user.lastSeen)}` : "Offline"}
                </span>
              </div>
              {role !== "member" && <span className={`role-badge role-${role}`}>{role}</span>}
              {user.id !== me.id && (
                <button
                  type="button"
                  className="icon-button icon-button-small member-message"
                  onClick={() => navigate(`/dm/${user.id}`, { state: { peerName: user.username } })}
                  aria-label={`Message ${user.username}`}
                  title={`Message ${user.username}`}
                  data-testid="message-button"
                >
                  <Icon name="message" size={16} />
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
