/**
 * Which conversation is on screen, so live events can tell "arrived while you were looking"
 * (read, no badge, no notification) from "arrived elsewhere".
 */
export type ActiveView = { kind: "room"; roomId: string } | { kind: "dm"; peerId: string } | null;

let current: ActiveView = null;

export function setActiveView(view: ActiveView): () => void {
  current = view;
  return () => {
    if (current === view) current = null;
  };
}

export const isTabVisible = () => typeof document === "undefined" || document.visibilityState === "visible";

export function isViewingRoom(roomId: string): boolean {
  return isTabVisible() && current?.kind === "room" && current.roomId === roomId;
}

export function isViewingDm(peerId: string): boolean {
  return isTabVisible() && current?.kind === "dm" && current.peerId === peerId;
}
