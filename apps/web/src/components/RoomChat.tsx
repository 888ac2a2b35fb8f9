import type { Room } from "@murmur/api-contract";
import { useCallback, useEffect, useMemo } from "react";
import { useRoomMarkRead } from "../hooks/useMarkRead";
import { useMe } from "../hooks/useMe";
import { useConversationOutbox } from "../hooks/useOutbox";
import { useRoomMessages } from "../hooks/useRoomMessages";
import { useTypingNames, useTypingSender } from "../hooks/useTyping";
import { setActiveView } from "../lib/activeView";
import { errorMessage } from "../lib/errors";
import { toChatMessages, toRows } from "../lib/messages";
import { Composer } from "./Composer";
import { Icon } from "./Icon";
import { MessageList } from "./MessageList";
import { TypingIndicator } from "./TypingIndicator";

/** The conversation of a room the user belongs to: history, live messages and the composer. */
export function RoomChat({ room }: { room: Room }) {
  const me = useMe();
  const history = useRoomMessages(room.id);
  const { pending, send, retry, discard } = useConversationOutbox({ kind: "room", roomId: room.id });
  const typingTarget = { roomId: room.id };
  const typingNames = useTypingNames(typingTarget);
  const onTextChange = useTypingSender(typingTarget);

  useEffect(() => setActiveView({ kind: "room", roomId: room.id }), [room.id]);
  useRoomMarkRead(room.id, history.messages.at(-1)?.seq);

  const rows = useMemo(() => toRows(toChatMessages(history.messages, pending, me)), [history.messages, pending, me]);

  const { loadOlder } = history;
  const onLoadOlder = useCallback(() => void loadOlder(), [loadOlder]);
  const intro = useCallback(
    (empty: boolean) => (
      <div className="room-intro">
        <span className="room-intro-icon" aria-hidden="true">
          <Icon name="hash" size={28} />
        </span>
        <h2>Welcome to #{room.name}</h2>
        <p>{empty ? "No messages yet. Say hello!" : "This is the very beginning of the room."}</p>
      </div>
    ),
    [room.name],
  );

  if (history.isLoading) {
    return (
      <div className="chat">
        <p className="chat-status">Loading messages…</p>
      </div>
    );
  }

  if (history.error && history.messages.length === 0) {
    return (
      <div className="chat">
        <div className="chat-status" role="alert">
          <p>{errorMessage(history.error)}</p>
          <button type="button" className="button button-secondary" onClick={() => void history.refetch()}>
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
        label={`Messages in ${room.name}`}
        intro={intro}
        hasOlder={history.hasOlder}
        loadingOlder={history.loadingOlder}
        olderError={history.error ? errorMessage(history.error) : null}
        onLoadOlder={onLoadOlder}
        onRetry={retry}
        onDiscard={discard}
      />
      <Composer
        draftKey={`room:${room.id}`}
        label={`Message #${room.name}`}
        onSend={send}
        onTextChange={onTextChange}
        status={<TypingIndicator names={typingNames} />}
      />
    </div>
  );
}
