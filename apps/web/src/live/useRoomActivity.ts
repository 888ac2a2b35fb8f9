import { useMe } from "../hooks/useMe";
import { isViewingRoom } from "../lib/activeView";
import type { IncomingMessage } from "../lib/notifications";
import { trpc } from "../trpc";
import { applyRoomMessage, applyRoomRead } from "./cache";
import { useRestartOnError } from "./useRestartOnError";

/** Keeps "my rooms" (badges, previews, order, membership) live from one stream for all of them. */
export function useRoomActivity(notify: (message: IncomingMessage) => void) {
  const me = useMe();
  const utils = trpc.useUtils();
  const subscription = trpc.rooms.onActivity.useSubscription(undefined, {
    onData: (item) => {
      restarter.succeeded();
      if (item.type === "listening") {
        // Not resumable: my room list, where changes missed while disconnected (or in a server's bus
        // outage) show, is read again. The directory and credits are not: the first "listening"
        // comes as the app opens, just after they were read, and the directory dims while it refetches.
        void utils.rooms.mine.invalidate();
        return;
      }
      if (item.type === "rooms-changed") {
        void utils.rooms.mine.invalidate();
        void utils.rooms.list.invalidate();
        void utils.credits.balance.invalidate();
        return;
      }
      if (item.type === "read") {
        applyRoomRead(utils, item.roomId, item.lastReadSeq);
        return;
      }
      const { message } = item;
      const known = applyRoomMessage(utils, message, { meId: me.id, viewing: isViewingRoom(item.roomId) });
      if (!known) void utils.rooms.mine.invalidate();
      const roomName = utils.rooms.mine.getData()?.find((r) => r.id === item.roomId)?.name ?? "a room";
      notify({
        kind: "room",
        roomId: item.roomId,
        roomName,
        sender: message.sender,
        content: message.content,
        messageType: message.messageType,
        createdAt: message.createdAt,
      });
    },
    onError: (error) => restarter.onError(error),
  });
  const restarter = useRestartOnError(() => subscription.reset());
}
