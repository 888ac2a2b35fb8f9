import { LIMITS, type Message } from "@murmur/api-contract";
import { skipToken } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useState } from "react";
import { deliverySamples } from "../lib/delivery-samples";
import { appCodeOf } from "../lib/errors";
import { mergeMessages } from "../lib/messages";
import { outbox } from "../lib/outbox";
import { trpc } from "../trpc";

/**
 * A room's messages: history pages (newest first from the server) plus everything that arrives
 * live, merged once per id and ordered by seq, oldest first.
 */
export function useRoomMessages(roomId: string) {
  const utils = trpc.useUtils();
  const history = trpc.messages.history.useInfiniteQuery(
    { roomId, limit: LIMITS.historyPageDefault },
    {
      getNextPageParam: (page) => page.nextCursor,
      // The live stream resumes from the newest message we hold, so cached pages never go stale.
      staleTime: Infinity,
      refetchOnWindowFocus: false,
      refetchOnReconnect: false,
    },
  );
  const [live, setLive] = useState<Message[]>([]);

  const newestLoadedSeq = history.data?.pages[0]?.items[0]?.seq;
  const historyLoaded = history.isSuccess;
  // Frozen at the first load: a changing input would restart the subscription on every message.
  // After that, the ws link itself resumes from the last event it saw when it reconnects.
  const [resumeFrom, setResumeFrom] = useState<string | null>(null);
  if (historyLoaded && resumeFrom === null) {
    // "0" for an empty room, so a message sent between the history read and the subscribe isn't lost.
    setResumeFrom(String(newestLoadedSeq ?? 0));
  }

  const addLive = useCallback((message: Message) => {
    setLive((prev) => (prev.some((m) => m.id === message.id) ? prev : [...prev, message]));
  }, []);

  // Our own sends, acknowledged: shown at once, even if the live copy is still on its way.
  useEffect(
    () =>
      outbox.onDelivered((delivered) => {
        if (delivered.kind === "room" && delivered.message.roomId === roomId) addLive(delivered.message);
      }),
    [roomId, addLive],
  );

  const subscription = trpc.messages.onRoom.useSubscription(
    resumeFrom === null ? skipToken : { roomId, lastEventId: resumeFrom },
    {
      onData: (event) => {
        // Only our own sends are pending there, so other people's messages are ignored.
        deliverySamples.received(event.data.clientMessageId);
        addLive(event.data);
        // System lines announce joins and leaves: the member count and list just changed.
        if (event.data.messageType === "system") {
          void utils.rooms.get.invalidate({ roomId });
          void utils.rooms.members.invalidate({ roomId });
        }
      },
      onError: (error) => {
        if (appCodeOf(error) === "NOT_A_MEMBER") void utils.rooms.get.invalidate({ roomId });
      },
      // The server ends the stream when we leave the room (possibly from another tab), are
      // removed from it, or it is deleted; the room's fresh state tells which.
      onComplete: () => {
        void utils.rooms.get.invalidate({ roomId });
        void utils.rooms.mine.invalidate();
      },
    },
  );

  const messages = useMemo(() => {
    const pages = history.data?.pages ?? [];
    return mergeMessages(...pages.map((p) => p.items), live);
  }, [history.data, live]);

  return {
    messages,
    addMessage: addLive,
    isLoading: history.isPending,
    error: history.error,
    refetch: history.refetch,
    hasOlder: history.hasNextPage,
    loadingOlder: history.isFetchingNextPage,
    loadOlder: history.fetchNextPage,
    liveStatus: subscription.status,
  };
}
