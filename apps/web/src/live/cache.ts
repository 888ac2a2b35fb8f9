import type { DmMessage, Message, PresenceChange, PublicUser, Room, RoomMember } from "@murmur/api-contract";
import { getQueryKey } from "@trpc/react-query";
import { queryClient, trpc } from "../trpc";

/**
 * How live events rewrite the React Query cache, so the sidebar, headers and member lists change
 * without refetching. Each function is idempotent: a replayed event changes nothing twice.
 */
type Utils = ReturnType<typeof trpc.useUtils>;

/** Returns false when the room isn't in my list yet (the caller refetches it). */
export function applyRoomMessage(utils: Utils, message: Message, opts: { meId: string; viewing: boolean }): boolean {
  let known = false;
  utils.rooms.mine.setData(undefined, (rooms) =>
    rooms?.map((room) => {
      if (room.id !== message.roomId) return room;
      known = true;
      const lastSeq = Math.max(room.lastSeq, message.seq);
      // The server counts what I wrote as read.
      const mine = message.sender?.id === opts.meId;
      const lastReadSeq = mine ? Math.max(room.lastReadSeq, message.seq) : room.lastReadSeq;
      const newest = !room.lastMessage || message.seq >= room.lastMessage.seq;
      return {
        ...room,
        lastSeq,
        lastReadSeq,
        // On screen it is read at once; the view's markRead call makes that true on the server.
        unreadCount: opts.viewing && !mine ? room.unreadCount : Math.max(0, lastSeq - lastReadSeq),
        lastMessage: newest ? message : room.lastMessage,
        lastActivityAt: newest && message.createdAt > room.lastActivityAt ? message.createdAt : room.lastActivityAt,
      };
    }),
  );
  return known;
}

export function applyRoomRead(utils: Utils, roomId: string, readSeq: number) {
  utils.rooms.mine.setData(undefined, (rooms) =>
    rooms?.map((room) => {
      if (room.id !== roomId || readSeq <= room.lastReadSeq) return room;
      return { ...room, lastReadSeq: readSeq, unreadCount: Math.max(0, room.lastSeq - readSeq) };
    }),
  );
}

/** Returns false when the conversation isn't in my list yet (the caller refetches it). */
export function applyDmMessage(utils: Utils, message: DmMessage, opts: { meId: string; viewing: boolean }): boolean {
  let known = false;
  utils.dm.conversations.setData(undefined, (page) => {
    if (!page) return page;
    return {
      ...page,
      items: page.items.map((c) => {
        if (c.id !== message.conversationId) return c;
        known = true;
        if (c.lastMessage && message.seq <= c.lastMessage.seq) return c;
        const fromPeer = message.sender.id !== opts.meId;
        return {
          ...c,
          lastMessage: message,
          lastMessageAt: message.createdAt,
          unreadCount: fromPeer && !opts.viewing ? c.unreadCount + 1 : c.unreadCount,
        };
      }),
    };
  });
  return known;
}

/** Returns false when the cache can't tell the new unread count (the caller refetches). */
export function applyDmRead(
  utils: Utils,
  event: { conversationId: string; readerId: string; upToSeq: number },
  meId: string,
): boolean {
  let settled = true;
  utils.dm.conversations.setData(undefined, (page) => {
    if (!page) return page;
    return {
      ...page,
      items: page.items.map((c) => {
        if (c.id !== event.conversationId || !c.lastMessage) return c;
        const covers = event.upToSeq >= c.lastMessage.seq;
        if (event.readerId === meId) {
          if (!covers) settled = false;
          return covers ? { ...c, unreadCount: 0 } : c;
        }
        // The peer read up to here: my last message, if covered, is now seen.
        return covers && c.lastMessage.sender.id === meId && !c.lastMessage.isRead
          ? { ...c, lastMessage: { ...c.lastMessage, isRead: true } }
          : c;
      }),
    };
  });
  return settled;
}

const withPresence = (user: PublicUser, change: PresenceChange): PublicUser =>
  user.id === change.userId ? { ...user, isOnline: change.isOnline, lastSeen: change.lastSeen ?? user.lastSeen } : user;

/** Presence dots everywhere they are drawn from the cache: DM list and every member list. */
export function applyPresence(utils: Utils, change: PresenceChange) {
  utils.dm.conversations.setData(
    undefined,
    (page) =>
      page && {
        ...page,
        items: page.items.map((c) => (c.peer.id === change.userId ? { ...c, peer: withPresence(c.peer, change) } : c)),
      },
  );
  queryClient.setQueriesData<RoomMember[]>({ queryKey: getQueryKey(trpc.rooms.members) }, (members) =>
    members?.some((m) => m.user.id === change.userId)
      ? members.map((m) => ({ ...m, user: withPresence(m.user, change) }))
      : members,
  );
}

/** A room I just created or joined shows in the sidebar at once; the refetch that follows fills in the rest. */
export function addMyRoom(utils: Utils, room: Room) {
  utils.rooms.mine.setData(undefined, (rooms) =>
    rooms && !rooms.some((r) => r.id === room.id)
      ? [{ ...room, unreadCount: 0, lastReadSeq: room.lastSeq, lastMessage: null }, ...rooms]
      : rooms,
  );
}
