import type { PublicUser, RoomMember } from "@murmur/api-contract";
import { getQueryKey } from "@trpc/react-query";
import { useCallback, useSyncExternalStore } from "react";
import { queryClient, trpc } from "../trpc";

type ConversationPage = { items: { peer: PublicUser }[] };

/**
 * Someone I may talk to, from whatever the cache already knows: my DM list or any member list.
 * There is no "get user" call; presence updates land in those same cached lists.
 */
function findInCache(peerId: string): PublicUser | undefined {
  const conversations = queryClient.getQueriesData<ConversationPage>({ queryKey: getQueryKey(trpc.dm.conversations) });
  for (const [, page] of conversations) {
    const found = page?.items.find((c) => c.peer.id === peerId)?.peer;
    if (found) return found;
  }
  const memberLists = queryClient.getQueriesData<RoomMember[]>({ queryKey: getQueryKey(trpc.rooms.members) });
  for (const [, members] of memberLists) {
    const found = members?.find((m) => m.user.id === peerId)?.user;
    if (found) return found;
  }
  return undefined;
}

const subscribe = (onChange: () => void) => queryClient.getQueryCache().subscribe(onChange);

export function usePeer(peerId: string): PublicUser | undefined {
  const getSnapshot = useCallback(() => findInCache(peerId), [peerId]);
  return useSyncExternalStore(subscribe, getSnapshot);
}
