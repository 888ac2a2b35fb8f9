import { useEffect } from "react";
import { useConversations, useMyRooms } from "../hooks/useSidebarData";
import { documentTitle, unreadTotal } from "../lib/notifications";

/** "(3) Murmur": the tab says how much is waiting even when it is in the background. */
export function useUnreadTitle() {
  const rooms = useMyRooms();
  const conversations = useConversations();
  const total = unreadTotal(rooms.data, conversations.data?.items);
  useEffect(() => {
    document.title = documentTitle(total);
  }, [total]);
  useEffect(
    () => () => {
      document.title = documentTitle(0);
    },
    [],
  );
}
