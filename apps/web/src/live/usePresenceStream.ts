import { trpc } from "../trpc";
import { applyPresence } from "./cache";
import { useRestartOnError } from "./useRestartOnError";

/** Online/offline of everyone I share a room or a DM with, written into the cached lists. */
export function usePresenceStream() {
  const utils = trpc.useUtils();
  const subscription = trpc.presence.on.useSubscription(undefined, {
    onData: (item) => {
      restarter.succeeded();
      if (item.type === "listening") {
        // Changes missed while disconnected (or in a server's bus outage) are read again, in the lists that show presence.
        void utils.rooms.members.invalidate();
        void utils.dm.conversations.invalidate();
        return;
      }
      applyPresence(utils, item);
    },
    onError: (error) => restarter.onError(error),
  });
  const restarter = useRestartOnError(() => subscription.reset());
}
