import { useEffect, useMemo } from "react";
import { setActiveView } from "../lib/activeView";
import type { OutboxTarget } from "../lib/outbox";
import { useConversationOutbox } from "./useOutbox";
import { useTypingNames, useTypingSender, type TypingTarget } from "./useTyping";

/**
 * What a conversation on screen needs besides its history: its unsent messages and the actions on
 * them, typing both ways (off while `typing` is false), and being the active view while shown.
 */
export function useConversation(target: OutboxTarget, typing = true) {
  const { pending, send, retry, discard } = useConversationOutbox(target);
  const typingTarget: TypingTarget = target.kind === "room" ? { roomId: target.roomId } : { peerId: target.peerId };
  const typingNames = useTypingNames(typingTarget, typing);
  const onTextChange = useTypingSender(typingTarget, typing);

  /** "room:<id>" or "dm:<peerId>": also where the composer keeps its draft. */
  const key = target.kind === "room" ? `room:${target.roomId}` : `dm:${target.peerId}`;
  // Callers pass a fresh object each render; `key` says when it really changed.
  const stableTarget = useMemo(() => target, [key]);
  useEffect(() => setActiveView(stableTarget), [stableTarget]);

  return { key, pending, send, retry, discard, typingNames, onTextChange };
}

export type Conversation = ReturnType<typeof useConversation>;
