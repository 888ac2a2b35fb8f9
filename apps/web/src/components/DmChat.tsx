import type { DmMessage } from "@murmur/api-contract";
import { useCallback, useEffect, useMemo } from "react";
import { useDmMessages } from "../hooks/useDmMessages";
import { useDmMarkRead } from "../hooks/useMarkRead";
import { useMe } from "../hooks/useMe";
import { useConversationOutbox } from "../hooks/useOutbox";
import { useTypingNames, useTypingSender } from "../hooks/useTyping";
import { setActiveView } from "../lib/activeView";
import { errorMessage } from "../lib/errors";
import { toChatMessages, toRows, type StoredMessage } from "../lib/messages";
import { Avatar } from "./Avatar";
import { Composer } from "./Composer";
import { MessageList } from "./MessageList";
import { TypingIndicator } from "./TypingIndicator";

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
  const { pending, send, retry, discard } = useConversationOutbox({ kind: "dm", peerId });
  const typingTarget = { peerId };
  const typingNames = useTypingNames(typingTarget, !blocked);
  const onTextChange = useTypingSender(typingTarget, !blocked);

  useEffect(() => setActiveView({ kind: "dm", peerId }), [peerId]);

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

  const rows = useMemo(() => toRows(toChatMessages(messages.map(toStored), pending, me)), [messages, pending, me]);
  const { loadOlder } = dm;
  const onLoadOlder = useCallback(() => void loadOlder(), [loadOlder]);
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

  if (dm.isLoading) {
    return (
      <div className="chat">
        <p className="chat-status">Loading messages…</p>
      </div>
    );
  }

  if (dm.error && messages.length === 0) {
    return (
      <div className="chat">
        <div className="chat-status" role="alert">
          <p>{errorMessage(dm.error)}</p>
          <button type="button" className="button button-secondary" onClick={() => void dm.refetch()}>
            Try again
          </button>
        </div>
      </div>
    );
  }

  return (
    <div className="chat">
      <MessageList
        rows={rows}
        meId={me.id}
        label={`Conversation with ${peerName}`}
        intro={intro}
        seenKey={seenKey}
        hasOlder={dm.hasOlder}
        loadingOlder={dm.loadingOlder}
        olderError={dm.error ? errorMessage(dm.error) : null}
        onLoadOlder={onLoadOlder}
        onRetry={retry}
        onDiscard={discard}
      />
      {blocked ? (
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
      ) : (
        <Composer
          draftKey={`dm:${peerId}`}
          label={`Message ${peerName}`}
          onSend={send}
          onTextChange={onTextChange}
          status={<TypingIndicator names={typingNames} />}
        />
      )}
    </div>
  );
}
