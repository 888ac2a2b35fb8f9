import { trpc } from "../trpc";
import { applyPresence } from "./cache";
import { useRestartOnError } from "./useRestartOnError";

/** Online/offline of everyone I share a room or a DM with, written into the cached lists. */
export function usePresenceStream() {
  const utils = trpc.useUtils();
  const subscription = trpc.presence.on.useSubscription(undefined, {
    onData: (item) => {
      restarter.succeeded();
      if (item.type === "change") {
        applyPresence(utils, item);
        return;
      }
      // Listening: changes missed while disconnected are read again, in the lists that show presence.
      void utils.rooms.members.invalidate();
      void utils.dm.conversations.invalidate();
    },
    onError: (error) => restarter.onError(error),
  });
  const restarter = useRestartOnError(() => subscription.reset());
}
