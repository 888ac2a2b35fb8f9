import { useEffect, useRef } from "react";
import { trpc } from "../trpc";
import { useDocumentVisible } from "./useDocumentVisible";

/** Long enough to collapse a burst of arrivals into one call, short enough to feel instant. */
const MARK_READ_DELAY_MS = 400;

/** While the room is on screen, moves my read pointer to its newest message (only ever forward). */
export function useRoomMarkRead(roomId: string, newestSeq: number | undefined) {
  const utils = trpc.useUtils();
  const visible = useDocumentVisible();
  const { mutate } = trpc.rooms.markRead.useMutation();
  const marked = useRef(0);

  useEffect(() => {
    if (!visible || newestSeq === undefined || newestSeq <= marked.current) return;
    const timer = setTimeout(() => {
      marked.current = newestSeq;
      const mine = utils.rooms.mine.getData()?.find((r) => r.id === roomId);
      // My own message already moved the pointer on the server.
      if (mine && mine.lastReadSeq >= newestSeq && mine.unreadCount === 0) return;
      utils.rooms.mine.setData(undefined, (rooms) =>
        rooms?.map((r) => {
          if (r.id !== roomId) return r;
          const lastReadSeq = Math.max(r.lastReadSeq, newestSeq);
          return { ...r, lastReadSeq, unreadCount: Math.max(0, r.lastSeq - lastReadSeq) };
        }),
      );
      mutate({ roomId, upTo: newestSeq });
    }, MARK_READ_DELAY_MS);
    return () => clearTimeout(timer);
  }, [visible, newestSeq, roomId, mutate, utils]);
}

/** While the DM is on screen, marks the peer's messages to me read up to `upTo`. */
export function useDmMarkRead(peerId: string, conversationId: string | null, upTo: number | undefined) {
  const utils = trpc.useUtils();
  const visible = useDocumentVisible();
  const { mutate } = trpc.dm.markRead.useMutation();
  const marked = useRef(0);

  useEffect(() => {
    if (!visible || upTo === undefined || upTo <= marked.current) return;
    const timer = setTimeout(() => {
      marked.current = upTo;
      utils.dm.conversations.setData(
        undefined,
        (page) =>
          page && {
            ...page,
            items: page.items.map((c) =>
              c.id === conversationId || c.peer.id === peerId ? { ...c, unreadCount: 0 } : c,
            ),
          },
      );
      mutate({ peerId, upTo });
    }, MARK_READ_DELAY_MS);
    return () => clearTimeout(timer);
  }, [visible, upTo, peerId, conversationId, mutate, utils]);
}
