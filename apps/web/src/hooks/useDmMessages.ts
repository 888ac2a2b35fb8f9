import { LIMITS, type DmMessage } from "@murmur/api-contract";
import { useMemo, useSyncExternalStore } from "react";
import { dmStore } from "../lib/dmStore";
import { mergeMessages } from "../lib/messages";
import { trpc } from "../trpc";
import { useConversations } from "./useSidebarData";

const NONE: readonly DmMessage[] = [];

export interface DmReadState {
  conversationId: string | null;
  /** The peer has read my messages up to this seq. */
  peerReadUpTo: number;
  /** I have read the peer's messages up to this seq. */
  myReadUpTo: number;
}

/**
 * One conversation: history pages (newest first from the server) merged with what the shared DM
 * stream delivered, once per id, oldest first; plus how far each side has read.
 */
export function useDmMessages(peerId: string, meId: string) {
  // Read only after the conversation list, whose eventSeq the DM stream starts from: a DM stored
  // before this read is on the page, one numbered after that eventSeq is replayed, none in between.
  const listLoaded = useConversations().isSuccess;
  const history = trpc.dm.history.useInfiniteQuery(
    { peerId, limit: LIMITS.historyPageDefault },
    {
      enabled: listLoaded,
      getNextPageParam: (page) => page.nextCursor,
      // Everything after the first load arrives through the DM stream into the store.
      staleTime: Infinity,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
    },
  );
  const state = useSyncExternalStore(dmStore.subscribe, dmStore.getState);
  const live = state.messages[peerId] ?? NONE;

  const messages = useMemo(() => {
    const pages = history.data?.pages ?? [];
    return mergeMessages(...pages.map((p) => p.items), live);
  }, [history.data, live]);

  const read = useMemo((): DmReadState => {
    const conversationId = messages[0]?.conversationId ?? null;
    // History carries each message's read flag as of loading; receipts since then are in the store.
    let peerReadUpTo = conversationId ? (state.peerReadUpTo[conversationId] ?? 0) : 0;
    let myReadUpTo = conversationId ? (state.myReadUpTo[conversationId] ?? 0) : 0;
    for (const m of messages) {
      if (!m.isRead) continue;
      if (m.sender.id === meId) peerReadUpTo = Math.max(peerReadUpTo, m.seq);
      else myReadUpTo = Math.max(myReadUpTo, m.seq);
    }
    return { conversationId, peerReadUpTo, myReadUpTo };
  }, [messages, state.peerReadUpTo, state.myReadUpTo, meId]);

  return {
    messages,
    read,
    isLoading: history.isPending,
    error: history.error,
    refetch: history.refetch,
    hasOlder: history.hasNextPage,
    loadingOlder: history.isFetchingNextPage,
    loadOlder: history.fetchNextPage,
  };
}
