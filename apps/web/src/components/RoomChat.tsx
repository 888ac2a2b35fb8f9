import type { Room } from "@murmur/api-contract";
import { useCallback, useMemo } from "react";
import { useConversation } from "../hooks/useConversation";
import { useRoomMarkRead } from "../hooks/useMarkRead";
import { useMe } from "../hooks/useMe";
import { useRoomMessages } from "../hooks/useRoomMessages";
import { toChatMessages, toRows } from "../lib/messages";
import { ConversationView } from "./ConversationView";
import { Icon } from "./Icon";

/** The conversation of a room the user belongs to: history, live messages and the composer. */
export function RoomChat({ room }: { room: Room }) {
  const me = useMe();
  const history = useRoomMessages(room.id);
  const conversation = useConversation({ kind: "room", roomId: room.id });
  useRoomMarkRead(room.id, history.messages.at(-1)?.seq);

  const { pending } = conversation;
  const rows = useMemo(() => toRows(toChatMessages(history.messages, pending, me)), [history.messages, pending, me]);
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

  return (
    <ConversationView
      history={history}
      conversation={conversation}
      rows={rows}
      listLabel={`Messages in ${room.name}`}
      intro={intro}
      composerLabel={`Message #${room.name}`}
    />
  );
}
