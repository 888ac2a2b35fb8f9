import { skipToken } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useMe } from "../hooks/useMe";
import { useConversations } from "../hooks/useSidebarData";
import { isViewingDm } from "../lib/activeView";
import { deliverySamples } from "../lib/delivery-samples";
import { dmStore, peerOf } from "../lib/dmStore";
import type { IncomingMessage } from "../lib/notifications";
import { outbox } from "../lib/outbox";
import { trpc } from "../trpc";
import { applyDmMessage, applyDmRead } from "./cache";
import { useRestartOnError } from "./useRestartOnError";

/**
 * The one `dm.onMessage` stream: every DM to or from me and every read receipt, on all my tabs.
 * Events are numbered. It starts from the number the conversation list was read at (and a
 * conversation's history is read after the list), so whatever landed after those reads is
 * replayed; the socket link resumes from the last event after a reconnect, and a restart after an
 * error from `lastEventId`, so nothing is missed (and a replayed event changes the caches once).
 */
export function useDmStream(notify: (message: IncomingMessage) => void) {
  const me = useMe();
  const utils = trpc.useUtils();
  const lastEventId = useRef<string | null>(null);
  const listEventSeq = useConversations().data?.eventSeq;
  // Frozen at the list's first load: a changing input would restart the subscription. Until the
  // list loads (its query retries) there is no stream: it needs the list's number to start from.
  const [resumeFrom, setResumeFrom] = useState<string | null>(null);
  if (resumeFrom === null && listEventSeq !== undefined) setResumeFrom(String(listEventSeq));

  // A refetched list read before events this stream already applied to the old one replaced them
  // (its response landed after they did): read it again until it is at least that new.
  useEffect(() => {
    const applied = lastEventId.current;
    if (listEventSeq !== undefined && applied !== null && listEventSeq < Number(applied)) {
      void utils.dm.conversations.invalidate();
    }
  }, [listEventSeq, utils]);

  useEffect(
    () =>
      outbox.onDelivered((delivered) => {
        if (delivered.kind !== "dm") return;
        dmStore.addMessage(delivered.message, me.id);
        if (!applyDmMessage(utils, delivered.message, { meId: me.id, viewing: true })) {
          void utils.dm.conversations.invalidate();
        }
      }),
    [me.id, utils],
  );

  const subscription = trpc.dm.onMessage.useSubscription(
    resumeFrom === null ? skipToken : { lastEventId: resumeFrom },
    {
      onData: ({ id, data: event }) => {
        lastEventId.current = id;
        restarter.succeeded();
        if (event.type === "read") {
          dmStore.applyRead(event, me.id);
          if (!applyDmRead(utils, event, me.id)) void utils.dm.conversations.invalidate();
          return;
        }
        const { message } = event;
        if (message.sender.id === me.id) deliverySamples.received(message.clientMessageId);
        const isNew = dmStore.addMessage(message, me.id);
        const peer = peerOf(message, me.id);
        if (!applyDmMessage(utils, message, { meId: me.id, viewing: isViewingDm(peer.id) })) {
          void utils.dm.conversations.invalidate();
        }
        if (isNew) {
          notify({
            kind: "dm",
            sender: message.sender,
            recipient: message.recipient,
            content: message.content,
            createdAt: message.createdAt,
          });
        }
      },
      onError: (error) => restarter.onError(error),
    },
  );
  const restarter = useRestartOnError(() => {
    if (lastEventId.current !== null && lastEventId.current !== resumeFrom) setResumeFrom(lastEventId.current);
    else subscription.reset();
  });
}
