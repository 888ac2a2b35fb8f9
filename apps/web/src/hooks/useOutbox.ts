import { useCallback, useMemo, useSyncExternalStore } from "react";
import type { PendingMessage } from "../lib/messages";
import { outbox, sameTarget, type OutboxItem, type OutboxSnapshot, type OutboxTarget } from "../lib/outbox";

export const useOutboxSnapshot = () => useSyncExternalStore(outbox.subscribe, outbox.getSnapshot);

function toPending(item: OutboxItem, blocked: OutboxSnapshot["blocked"]): PendingMessage {
  return {
    clientMessageId: item.clientMessageId,
    content: item.content,
    // Next in line while connected reads as "sending"; only an outage or a rate limit holds it.
    status:
      item.status !== "queued"
        ? item.status
        : blocked === "offline"
          ? "queued"
          : blocked === "rate-limited"
            ? "waiting"
            : "sending",
    createdAt: new Date(item.createdAt),
    error: item.error,
  };
}

/** One conversation's unsent messages and the actions on them; the sending itself is global. */
export function useConversationOutbox(target: OutboxTarget) {
  const snapshot = useOutboxSnapshot();
  const key = target.kind === "room" ? `room:${target.roomId}` : `dm:${target.peerId}`;
  // Callers pass a fresh object each render; `key` says when it really changed.
  const stableTarget = useMemo(() => target, [key]);
  const { blocked } = snapshot;
  const pending = useMemo(
    () => snapshot.items.filter((i) => sameTarget(i.target, stableTarget)).map((i) => toPending(i, blocked)),
    [snapshot.items, stableTarget, blocked],
  );
  const send = useCallback((content: string) => void outbox.add(stableTarget, content), [stableTarget]);
  const retry = useCallback((clientMessageId: string) => outbox.retry(clientMessageId), []);
  const discard = useCallback((clientMessageId: string) => outbox.discard(clientMessageId), []);
  return { pending, send, retry, discard };
}
