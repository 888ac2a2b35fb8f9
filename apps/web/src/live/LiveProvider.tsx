import { useEffect, type ReactNode } from "react";
import { useMe } from "../hooks/useMe";
import { dmStore } from "../lib/dmStore";
import { useDeliveryReporter } from "./useDeliveryReporter";
import { useDmStream } from "./useDmStream";
import { useNotifier } from "./useNotifier";
import { useOutboxProcessor } from "./useOutboxProcessor";
import { usePresenceStream } from "./usePresenceStream";
import { useRoomActivity } from "./useRoomActivity";
import { useUnreadTitle } from "./useUnreadTitle";

/**
 * The app's long-lived streams, each opened once for the whole session: room activity, DMs and
 * presence feed the cache; the outbox sends; the tab title counts what is unread; delivery-time
 * samples are reported.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  useEffect(() => {
    dmStore.reset();
    return () => dmStore.reset();
  }, [me.id]);
  const notify = useNotifier();
  useOutboxProcessor(me.id);
  useDeliveryReporter(me.id);
  useRoomActivity(notify);
  useDmStream(notify);
  usePresenceStream();
  useUnreadTitle();
  return children;
}
