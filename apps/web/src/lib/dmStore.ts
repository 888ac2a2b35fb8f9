import type { DmMessage } from "@murmur/api-contract";

export interface DmState {
  /** DMs that arrived live or were sent from this tab this session, by peer id, in seq order. */
  messages: Readonly<Record<string, readonly DmMessage[]>>;
  /** How far the peer has read my messages, by conversation id. */
  peerReadUpTo: Readonly<Record<string, number>>;
  /** How far I have read the peer's messages (maybe in another tab), by conversation id. */
  myReadUpTo: Readonly<Record<string, number>>;
}

const EMPTY: DmState = { messages: {}, peerReadUpTo: {}, myReadUpTo: {} };

export const peerOf = (message: DmMessage, meId: string) =>
  message.sender.id === meId ? message.recipient : message.sender;

/**
 * The live side of direct messages, fed by the one `dm.onMessage` stream: conversation views merge
 * these with their history pages, so a DM that arrived while its view was closed is still there.
 */
function createDmStore() {
  let state = EMPTY;
  const listeners = new Set<() => void>();
  const set = (next: DmState) => {
    state = next;
    for (const listener of listeners) listener();
  };

  return {
    subscribe(listener: () => void) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    getState: () => state,
    reset: () => set(EMPTY),

    /** Returns false when the message was already known (a replay or our own acknowledged send). */
    addMessage(message: DmMessage, meId: string): boolean {
      const peerId = peerOf(message, meId).id;
      const list = state.messages[peerId] ?? [];
      if (list.some((m) => m.id === message.id)) return false;
      const next = [...list, message].sort((a, b) => a.seq - b.seq);
      set({ ...state, messages: { ...state.messages, [peerId]: next } });
      return true;
    },

    applyRead(event: { conversationId: string; readerId: string; upToSeq: number }, meId: string) {
      const field = event.readerId === meId ? "myReadUpTo" : "peerReadUpTo";
      const current = state[field][event.conversationId] ?? 0;
      if (event.upToSeq <= current) return;
      set({ ...state, [field]: { ...state[field], [event.conversationId]: event.upToSeq } });
    },
  };
}

export const dmStore = createDmStore();
