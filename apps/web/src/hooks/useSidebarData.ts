import { trpc } from "../trpc";

/** Kept fresh by the live streams (see live/), so no polling and no refetch on focus. */
const LIVE = { staleTime: Infinity, refetchOnWindowFocus: false } as const;

export const useMyRooms = () => trpc.rooms.mine.useQuery(undefined, LIVE);
export const useConversations = () => trpc.dm.conversations.useQuery(undefined, LIVE);
export const useCredits = () => trpc.credits.balance.useQuery(undefined, { staleTime: 60_000 });
