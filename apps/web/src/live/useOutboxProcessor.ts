import { useEffect } from "react";
import { useServerReachable } from "../hooks/useConnectivity";
import { deliverySamples } from "../lib/delivery-samples";
import { appCodeOf, errorMessage, isTransient, retryAfterMsOf, trpcCodeOf } from "../lib/errors";
import { outbox, type DeliveryResult, type OutboxItem } from "../lib/outbox";
import { onSessionLost, trpc } from "../trpc";

const DEFAULT_RETRY_AFTER_MS = 5_000;

/** Opens this user's outbox, keeps it in step with other tabs, and sends what it holds. */
export function useOutboxProcessor(userId: string) {
  const utils = trpc.useUtils();
  const reachable = useServerReachable();

  useEffect(() => {
    outbox.open(userId);
    const onStorage = (event: StorageEvent) => {
      if (event.key === outbox.storageKey) outbox.syncFromStorage();
    };
    window.addEventListener("storage", onStorage);
    return () => {
      window.removeEventListener("storage", onStorage);
      // Logging out clears it (see useSession); a lost session keeps it for the next log-in.
      outbox.close({ forget: false });
    };
  }, [userId]);

  useEffect(() => outbox.setOnline(reachable), [reachable]);

  useEffect(() => {
    const deliver = async (item: OutboxItem): Promise<DeliveryResult> => {
      const { target, content, clientMessageId } = item;
      // The clock starts as the message leaves; it stops when our own live stream brings it back.
      deliverySamples.sent(clientMessageId);
      try {
        if (target.kind === "room") {
          const message = await utils.client.messages.send.mutate({ roomId: target.roomId, content, clientMessageId });
          return { kind: "sent", delivered: { kind: "room", message } };
        }
        const message = await utils.client.dm.send.mutate({ toUserId: target.peerId, content, clientMessageId });
        return { kind: "sent", delivered: { kind: "dm", message } };
      } catch (error) {
        if (isTransient(error)) return { kind: "offline" };
        if (trpcCodeOf(error) === "TOO_MANY_REQUESTS") {
          return { kind: "rate-limited", retryAfterMs: retryAfterMsOf(error) ?? DEFAULT_RETRY_AFTER_MS };
        }
        if (appCodeOf(error) === "NOT_AUTHENTICATED") {
          onSessionLost(error);
          return { kind: "offline" };
        }
        if (appCodeOf(error) === "NOT_A_MEMBER" && target.kind === "room") {
          void utils.rooms.get.invalidate({ roomId: target.roomId });
        }
        return { kind: "failed", error: errorMessage(error) };
      }
    };
    outbox.setDeliver(deliver);
    return () => outbox.setDeliver(null);
  }, [utils]);
}
