import type { Room } from "@murmur/api-contract";
import { useCallback } from "react";
import { useLocation } from "wouter";
import { addMyRoom } from "../live/cache";
import { trpc } from "../trpc";
import { useRetryWindow } from "./useRetryWindow";

/** What every way of joining does next: remember the room, refresh the lists, open it. */
export function useJoinedRoom() {
  const utils = trpc.useUtils();
  const [, navigate] = useLocation();
  return useCallback(
    (room: Room) => {
      utils.rooms.get.setData({ roomId: room.id }, room);
      addMyRoom(utils, room);
      void utils.rooms.mine.invalidate();
      void utils.rooms.list.invalidate();
      navigate(`/rooms/${room.id}`);
    },
    [utils, navigate],
  );
}

/**
 * A join dialog's mutation callbacks: on success close the dialog and open the room; a refusal
 * (a rate limit) starts the retry window the dialog waits out.
 */
export function useJoinDialogCallbacks(onClose: () => void) {
  const onJoined = useJoinedRoom();
  const retry = useRetryWindow();
  const callbacks = {
    onSuccess: (room: Room) => {
      onClose();
      onJoined(room);
    },
    onError: retry.noteError,
  };
  return { retry, callbacks };
}
