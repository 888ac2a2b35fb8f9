import type { Room } from "@murmur/api-contract";
import { useCallback, useMemo } from "react";
import { useMe } from "../hooks/useMe";
import { usePendingSends } from "../hooks/usePendingSends";
import { useRoomMessages } from "../hooks/useRoomMessages";
import { errorMessage } from "../lib/errors";
import { toChatMessages, toRows } from "../lib/messages";
import { Composer } from "./Composer";
import { MessageList } from "./MessageList";

/** The conversation of a room the user belongs to: history, live messages and the composer. */
export function RoomChat({ room }: { room: Room }) {
  const me = useMe();
  const history = useRoomMessages(room.id);
  const { pending, send, retry } = usePendingSends(room.id, history.addMessage);

  const rows = useMemo(() => toRows(toChatMessages(history.messages, pending, me)), [history.messages, pending, me]);

  const { loadOlder } = history;
  const onLoadOlder = useCallback(() => void loadOlder(), [loadOlder]);

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
        roomName={room.name}
        hasOlder={history.hasOlder}
        loadingOlder={history.loadingOlder}
        olderError={history.error ? errorMessage(history.error) : null}
        onLoadOlder={onLoadOlder}
        onRetry={retry}
      />
      <Composer roomId={room.id} roomName={room.name} onSend={send} />
    </div>
  );
}
