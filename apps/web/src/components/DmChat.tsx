import type { DmMessage } from "@murmur/api-contract";
import { useCallback, useMemo } from "react";
import { useConversation } from "../hooks/useConversation";
import { useDmMessages } from "../hooks/useDmMessages";
import { useDmMarkRead } from "../hooks/useMarkRead";
import { useMe } from "../hooks/useMe";
import { toChatMessages, toRows, type StoredMessage } from "../lib/messages";
import { Avatar } from "./Avatar";
import { ConversationView } from "./ConversationView";

const toStored = (m: DmMessage): StoredMessage => ({
  id: m.id,
  seq: m.seq,
  sender: m.sender,
  content: m.content,
  messageType: "text",
  clientMessageId: m.clientMessageId,
  createdAt: m.createdAt,
});

interface DmChatProps {
  peerId: string;
  peerName: string;
  /** I blocked them: no composer, no typing, until I unblock. */
  blocked: boolean;
  onUnblock: () => void;
  unblocking: boolean;
}

export function DmChat({ peerId, peerName, blocked, onUnblock, unblocking }: DmChatProps) {
  const me = useMe();
  const dm = useDmMessages(peerId, me.id);
  const conversation = useConversation({ kind: "dm", peerId }, !blocked);

  const { messages, read } = dm;
  let newestFromPeer: number | undefined;
  let myLast: DmMessage | undefined;
  for (const m of messages) {
    if (m.sender.id === me.id) myLast = m;
    else newestFromPeer = m.seq;
  }
  const unreadUpTo = newestFromPeer !== undefined && newestFromPeer > read.myReadUpTo ? newestFromPeer : undefined;
  useDmMarkRead(peerId, read.conversationId, unreadUpTo);
  const seenKey = myLast && myLast.seq <= read.peerReadUpTo ? myLast.id : null;

  const { pending } = conversation;
  const rows = useMemo(() => toRows(toChatMessages(messages.map(toStored), pending, me)), [messages, pending, me]);
  const intro = useCallback(
    (empty: boolean) => (
      <div className="room-intro">
        <Avatar name={peerName} />
        <h2>{peerName}</h2>
        <p>
          {empty
            ? `This is the start of your conversation with ${peerName}. Say hello!`
            : `This is the very beginning of your conversation with ${peerName}.`}
        </p>
      </div>
    ),
    [peerName],
  );

  return (
    <ConversationView
      history={dm}
      conversation={conversation}
      rows={rows}
      listLabel={`Conversation with ${peerName}`}
      intro={intro}
      seenKey={seenKey}
      composerLabel={`Message ${peerName}`}
      composerNotice={
        blocked ? (
          <div className="composer-blocked" role="status" data-testid="blocked-notice">
            <p>You blocked {peerName}. Unblock them to send messages.</p>
            <button
              type="button"
              className="button button-secondary"
              onClick={onUnblock}
              disabled={unblocking}
              data-testid="blocked-notice-unblock"
            >
              {unblocking ? "Unblocking…" : "Unblock"}
            </button>
          </div>
        ) : null
      }
    />
  );
}
