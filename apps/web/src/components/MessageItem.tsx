import { memo } from "react";
import type { ChatMessage } from "../lib/messages";
import { fullDateTime, shortTime } from "../lib/time";
import { Avatar } from "./Avatar";
import { LinkifiedText } from "./LinkifiedText";

interface MessageItemProps {
  message: ChatMessage;
  grouped: boolean;
  isMine: boolean;
  /** The peer has read up to here (DMs): shown under my latest message only. */
  seen?: boolean;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
}

/** Content is always text nodes and checked links, never HTML: whatever people type is shown, not run. */
export const MessageItem = memo(function MessageItem({
  message,
  grouped,
  isMine,
  seen = false,
  onRetry,
  onDiscard,
}: MessageItemProps) {
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
  const clientMessageId = message.clientMessageId;
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
        <div className="msg-content">
          <LinkifiedText text={message.content} />
        </div>
        {message.status === "sending" && <div className="msg-status">sending…</div>}
        {message.status === "waiting" && <div className="msg-status is-queued">waiting to send…</div>}
        {message.status === "queued" && (
          <div className="msg-status is-queued" data-testid="queued-indicator">
            waiting for connection
          </div>
        )}
        {message.status === "failed" && clientMessageId && (
          <div className="msg-status is-failed" role="alert">
            failed —{" "}
            <button
              type="button"
              className="link-button"
              onClick={() => onRetry(clientMessageId)}
              data-testid="retry-button"
            >
              retry
            </button>{" "}
            ·{" "}
            <button
              type="button"
              className="link-button"
              onClick={() => onDiscard(clientMessageId)}
              data-testid="discard-button"
            >
              discard
            </button>
            {message.error && <span className="msg-status-reason"> · {message.error}</span>}
          </div>
        )}
        {seen && (
          <div className="msg-status is-seen" data-testid="seen-indicator">
            Seen
          </div>
        )}
      </div>
    </li>
  );
});
