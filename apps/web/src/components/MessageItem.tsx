import { memo } from "react";
import type { ChatMessage } from "../lib/messages";
import { fullDateTime, shortTime } from "../lib/time";
import { Avatar } from "./Avatar";

interface MessageItemProps {
  message: ChatMessage;
  grouped: boolean;
  isMine: boolean;
  onRetry: (clientMessageId: string) => void;
}

/** Content is always a text node, never HTML: whatever people type is shown, not run. */
export const MessageItem = memo(function MessageItem({ message, grouped, isMine, onRetry }: MessageItemProps) {
  const common = {
    "data-testid": "message",
    "data-status": message.status,
    "data-message-type": message.messageType,
    "data-seq": message.seq ?? undefined,
    "data-client-message-id": message.clientMessageId ?? undefined,
  };
  const time = (
    <time dateTime={message.createdAt.toISOString()} title={fullDateTime(message.createdAt)}>
      {shortTime(message.createdAt)}
    </time>
  );

  if (message.messageType === "system") {
    return (
      <li className="msg-system" {...common}>
        <span className="msg-system-text">{message.content}</span> {time}
      </li>
    );
  }

  const author = message.sender?.username ?? "Deleted user";
  return (
    <li
      className={`msg${grouped ? " is-grouped" : ""}${isMine ? " is-mine" : ""}${message.status !== "sent" ? ` is-${message.status}` : ""}`}
      {...common}
    >
      <div className="msg-gutter">
        {grouped ? <span className="msg-gutter-time">{time}</span> : <Avatar name={author} />}
      </div>
      <div className="msg-body">
        {grouped ? (
          <span className="visually-hidden">{author}: </span>
        ) : (
          <div className="msg-meta">
            <span className="msg-author">{author}</span>
            {time}
          </div>
        )}
        <div className="msg-content">{message.content}</div>
        {message.status === "sending" && <div className="msg-status">sending…</div>}
        {message.status === "failed" && message.clientMessageId && (
          <div className="msg-status is-failed" role="alert">
            failed —{" "}
            <button
              type="button"
              className="link-button"
              onClick={() => message.clientMessageId && onRetry(message.clientMessageId)}
              data-testid="retry-button"
            >
              retry
            </button>
            {message.error && <span className="msg-status-reason"> · {message.error}</span>}
          </div>
        )}
      </div>
    </li>
  );
});
