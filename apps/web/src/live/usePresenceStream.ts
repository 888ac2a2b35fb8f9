import { trpc } from "../trpc";
import { applyPresence } from "./cache";
import { useRestartOnError } from "./useRestartOnError";

/** Online/offline of everyone I share a room or a DM with, written into the cached lists. */
export function usePresenceStream() {
  const utils = trpc.useUtils();
  const subscription = trpc.presence.on.useSubscription(undefined, {
    // Changes missed while disconnected: the lists that show presence are fetched again.
    onStarted: () => {
      void utils.rooms.members.invalidate();
      void utils.dm.conversations.invalidate();
    },
    onData: (change) => {
      restarter.succeeded();
      applyPresence(utils, change);
    },
    onError: (error) => restarter.onError(error),
  });
  const restarter = useRestartOnError(() => subscription.reset());
}
