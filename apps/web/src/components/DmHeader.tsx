import type { PublicUser } from "@murmur/api-contract";
import { relativeTime } from "../lib/time";
import { Avatar } from "./Avatar";
import { Icon } from "./Icon";

interface DmHeaderProps {
  peerName: string;
  peer: PublicUser | undefined;
  blocked: boolean;
  onBlock: () => void;
  onUnblock: () => void;
  busy: boolean;
}

export function presenceText(user: Pick<PublicUser, "isOnline" | "lastSeen">): string {
  if (user.isOnline) return "Online";
  return user.lastSeen ? `Last seen ${relativeTime(user.lastSeen)}` : "Offline";
}

export function DmHeader({ peerName, peer, blocked, onBlock, onUnblock, busy }: DmHeaderProps) {
  return (
    <header className="room-header dm-header" data-testid="dm-header">
      <div className="dm-header-info">
        <Avatar name={peerName} online={peer?.isOnline} />
        <div className="room-header-info">
          <h1 className="room-title">
            <span data-testid="dm-peer-name">{peerName}</span>
          </h1>
          {peer && (
            <p className="room-description" data-testid="dm-peer-status" data-online={peer.isOnline ? "true" : "false"}>
              {presenceText(peer)}
            </p>
          )}
        </div>
      </div>
      <div className="room-header-actions">
        {blocked ? (
          <button
            type="button"
            className="button button-ghost"
            onClick={onUnblock}
            disabled={busy}
            data-testid="unblock-button"
          >
            <Icon name="ban" size={16} />
            Unblock
          </button>
        ) : (
          <button
            type="button"
            className="button button-ghost"
            onClick={onBlock}
            disabled={busy}
            data-testid="block-button"
          >
            <Icon name="ban" size={16} />
            Block
          </button>
        )}
      </div>
    </header>
  );
}
