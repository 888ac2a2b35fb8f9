/** Unsent text per room, so switching rooms doesn't throw away what someone was typing. */
const drafts = new Map<string, string>();

export const getDraft = (roomId: string) => drafts.get(roomId) ?? "";

export function setDraft(roomId: string, text: string) {
  if (text) drafts.set(roomId, text);
  else drafts.delete(roomId);
}

/** On log-out: the next person at this browser must not find the last one's half-written messages. */
export const clearDrafts = () => drafts.clear();
