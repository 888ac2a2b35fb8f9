import { TYPING_REFRESH_MS } from "@murmur/api-contract";
import { skipToken } from "@tanstack/react-query";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { trpc } from "../trpc";

export type TypingTarget = { roomId: string } | { peerId: string };

const keyOf = (target: TypingTarget) => ("roomId" in target ? `room:${target.roomId}` : `dm:${target.peerId}`);

/**
 * Tells the server "typing" at most once per TYPING_REFRESH_MS while the text is non-empty (the
 * server forgets after a few seconds without a refresh), and "stopped" once when it is cleared.
 */
export function useTypingSender(target: TypingTarget, enabled = true) {
  const { mutate } = trpc.typing.set.useMutation();
  const key = keyOf(target);
  // Callers pass a fresh object each render; `key` says when it really changed.
  const stable = useMemo(() => target, [key]);
  const lastSentAt = useRef(0);
  const active = useRef(false);

  const stop = useCallback(() => {
    if (!active.current) return;
    active.current = false;
    lastSentAt.current = 0;
    mutate({ ...stable, isTyping: false });
  }, [mutate, stable]);

  useEffect(() => stop, [stop]);

  return useCallback(
    (text: string) => {
      if (!enabled) return;
      if (text.trim().length === 0) {
        stop();
        return;
      }
      const now = Date.now();
      if (active.current && now - lastSentAt.current < TYPING_REFRESH_MS) return;
      active.current = true;
      lastSentAt.current = now;
      mutate({ ...stable, isTyping: true });
    },
    [enabled, mutate, stable, stop],
  );
}

/** Who else is typing in the conversation, as the server sees it (it expires quiet typists itself). */
export function useTypingNames(target: TypingTarget, enabled = true): string[] {
  const [names, setNames] = useState<string[]>([]);
  const key = keyOf(target);
  useEffect(() => setNames([]), [key]);
  trpc.typing.on.useSubscription(enabled ? target : skipToken, {
    onData: (state) => setNames(state.typing.map((t) => t.username)),
    onError: () => setNames([]),
  });
  return names;
}
