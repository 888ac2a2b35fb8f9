import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import type { ChatRow } from "../lib/messages";
import { dayLabel } from "../lib/time";
import { Icon } from "./Icon";
import { MessageItem } from "./MessageItem";

/** Within this distance of the bottom the reader is "following" the conversation. */
const NEAR_BOTTOM_PX = 120;
/** Start fetching older messages a little before the top is actually reached. */
const LOAD_OLDER_PX = 200;

interface MessageListProps {
  rows: ChatRow[];
  meId: string;
  /** Names the log for screen readers, e.g. "Messages in general". */
  label: string;
  /** Shown above the first message once the whole history is loaded. */
  intro: (empty: boolean) => ReactNode;
  /** The row under which "Seen" is shown (DMs), if any. */
  seenKey?: string | null;
  hasOlder: boolean;
  loadingOlder: boolean;
  olderError: string | null;
  onLoadOlder: () => void;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
}

interface ScrollSnapshot {
  top: number;
  height: number;
  client: number;
}

const isNearBottom = (s: ScrollSnapshot) => s.height - s.top - s.client < NEAR_BOTTOM_PX;

export function MessageList({
  rows,
  meId,
  label,
  intro,
  seenKey = null,
  hasOlder,
  loadingOlder,
  olderError,
  onLoadOlder,
  onRetry,
  onDiscard,
}: MessageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // Geometry as of the last commit or scroll: what the reader saw before the DOM changed.
  const snapshot = useRef<ScrollSnapshot>({ top: 0, height: 0, client: 0 });
  const edges = useRef<{ first: string; last: string } | null>(null);
  const [awayFromBottom, setAwayFromBottom] = useState(false);
  const [unseen, setUnseen] = useState(false);

  let firstKey: string | undefined;
  let lastRow: Extract<ChatRow, { kind: "message" }> | undefined;
  for (const row of rows) {
    if (row.kind !== "message") continue;
    firstKey ??= row.key;
    lastRow = row;
  }
  const lastKey = lastRow?.key;

  const remember = useCallback(() => {
    const el = scrollRef.current;
    if (el) snapshot.current = { top: el.scrollTop, height: el.scrollHeight, client: el.clientHeight };
  }, []);

  const maybeLoadOlder = useCallback(() => {
    const el = scrollRef.current;
    if (el && el.scrollTop < LOAD_OLDER_PX && hasOlder && !loadingOlder && !olderError) onLoadOlder();
  }, [hasOlder, loadingOlder, olderError, onLoadOlder]);

  // Runs after every commit (no deps) so the snapshot always matches what is on screen.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    if (firstKey === undefined || lastKey === undefined) {
      edges.current = null;
    } else if (edges.current === null) {
      el.scrollTop = el.scrollHeight;
      edges.current = { first: firstKey, last: lastKey };
    } else {
      const before = snapshot.current;
      if (edges.current.first !== firstKey) {
        // Older messages went in above: shift by exactly their height so nothing on screen moves.
        el.scrollTop = before.top + (el.scrollHeight - before.height);
      }
      if (edges.current.last !== lastKey) {
        const status = lastRow?.message.status;
        const ownSend =
          (status === "sending" || status === "queued" || status === "waiting") && lastRow?.message.sender?.id === meId;
        if (isNearBottom(before) || ownSend) el.scrollTop = el.scrollHeight;
        else setUnseen(true);
      }
      edges.current = { first: firstKey, last: lastKey };
    }
    remember();
  });

  // Fills a short first page, and keeps paging while the reader sits at the top.
  useEffect(maybeLoadOlder, [rows, maybeLoadOlder]);

  // A growing composer, a rotated phone or a resized window must not unstick a reader at the bottom.
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(() => {
      if (isNearBottom(snapshot.current)) el.scrollTop = el.scrollHeight;
      remember();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [remember]);

  const onScroll = () => {
    remember();
    const near = isNearBottom(snapshot.current);
    setAwayFromBottom(!near);
    if (near) setUnseen(false);
    maybeLoadOlder();
  };

  const jumpToLatest = () => {
    const el = scrollRef.current;
    el?.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
    setUnseen(false);
  };

  return (
    <div className="message-list-wrap">
      <div
        ref={scrollRef}
        className="message-scroller"
        onScroll={onScroll}
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        aria-label={label}
        tabIndex={0}
        data-testid="message-list"
      >
        <div className="history-edge">
          {loadingOlder ? (
            <p className="history-note">Loading older messages…</p>
          ) : olderError ? (
            <p className="history-note" role="alert">
              Couldn't load older messages.{" "}
              <button type="button" className="link-button" onClick={onLoadOlder}>
                Retry
              </button>
            </p>
          ) : hasOlder ? (
            <button type="button" className="link-button history-note" onClick={onLoadOlder}>
              Load older messages
            </button>
          ) : (
            intro(rows.length === 0)
          )}
        </div>
        <ol className="messages">
          {rows.map((row) =>
            row.kind === "day" ? (
              <li key={row.key} className="day-separator">
                <span>{dayLabel(row.date)}</span>
              </li>
            ) : (
              <MessageItem
                key={row.key}
                message={row.message}
                grouped={row.grouped}
                isMine={row.message.sender?.id === meId}
                seen={row.key === seenKey}
                onRetry={onRetry}
                onDiscard={onDiscard}
              />
            ),
          )}
        </ol>
      </div>
      {awayFromBottom && (
        <button type="button" className={`jump-button${unseen ? " has-unseen" : ""}`} onClick={jumpToLatest}>
          <Icon name="arrowDown" size={16} />
          {unseen ? "New messages" : "Jump to latest"}
        </button>
      )}
    </div>
  );
}
