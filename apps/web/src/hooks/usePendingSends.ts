import type { Message } from "@murmur/api-contract";
import { useCallback, useEffect, useRef, useState } from "react";
import { appCodeOf, errorMessage } from "../lib/errors";
import { newClientMessageId, type PendingMessage } from "../lib/messages";
import { trpc } from "../trpc";

/**
 * Optimistic sending: a message shows as "sending…" at once, is replaced by the server's copy
 * when the call returns, and on failure waits for a retry that reuses its clientMessageId so
 * the server stores it at most once.
 */
export function usePendingSends(roomId: string, onSent: (message: Message) => void) {
  const utils = trpc.useUtils();
  const sendMutation = trpc.messages.send.useMutation();
  const [pending, setPending] = useState<PendingMessage[]>([]);
  // Read by `retry` so its identity stays stable and the memoised message rows don't all re-render.
  const pendingRef = useRef(pending);
  useEffect(() => {
    pendingRef.current = pending;
  }, [pending]);

  const update = useCallback((clientMessageId: string, patch: Partial<PendingMessage> | null) => {
    setPending((prev) =>
      patch === null
        ? prev.filter((p) => p.clientMessageId !== clientMessageId)
        : prev.map((p) => (p.clientMessageId === clientMessageId ? { ...p, ...patch } : p)),
    );
  }, []);

  const { mutateAsync } = sendMutation;
  const deliver = useCallback(
    async (clientMessageId: string, content: string) => {
      try {
        const message = await mutateAsync({ roomId, content, clientMessageId });
        onSent(message);
        update(clientMessageId, null);
        // The room just became the most recently active one.
        void utils.rooms.mine.invalidate();
      } catch (error) {
        update(clientMessageId, { status: "failed", error: errorMessage(error) });
        if (appCodeOf(error) === "NOT_A_MEMBER") void utils.rooms.get.invalidate({ roomId });
      }
    },
    [mutateAsync, onSent, roomId, update, utils],
  );

  const send = useCallback(
    (content: string) => {
      const clientMessageId = newClientMessageId();
      setPending((prev) => [
        ...prev,
        { clientMessageId, content, status: "sending", createdAt: new Date(), error: null },
      ]);
      void deliver(clientMessageId, content);
    },
    [deliver],
  );

  const retry = useCallback(
    (clientMessageId: string) => {
      const message = pendingRef.current.find((p) => p.clientMessageId === clientMessageId);
      if (!message || message.status !== "failed") return;
      update(clientMessageId, { status: "sending", error: null });
      void deliver(clientMessageId, message.content);
    },
    [deliver, update],
  );

  const discard = useCallback((clientMessageId: string) => update(clientMessageId, null), [update]);

  return { pending, send, retry, discard };
}
