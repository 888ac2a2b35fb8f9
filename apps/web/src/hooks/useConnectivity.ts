import { useSyncExternalStore } from "react";
import { wsClient } from "../trpc";

const subscribeConnection = (onChange: () => void) => {
  const sub = wsClient.connectionState.subscribe({ next: onChange });
  return () => sub.unsubscribe();
};
const getConnection = () => wsClient.connectionState.get();

const subscribeOnline = (onChange: () => void) => {
  window.addEventListener("online", onChange);
  window.addEventListener("offline", onChange);
  return () => {
    window.removeEventListener("online", onChange);
    window.removeEventListener("offline", onChange);
  };
};
const getOnline = () => navigator.onLine;

export const useSocketState = () => useSyncExternalStore(subscribeConnection, getConnection);
export const useBrowserOnline = () => useSyncExternalStore(subscribeOnline, getOnline);

/**
 * False when the browser has no network or the socket dropped and is retrying: the server is then
 * unreachable for this tab, and sending should wait rather than fail.
 */
export function useServerReachable(): boolean {
  const connection = useSocketState();
  const online = useBrowserOnline();
  return online && !(connection.state === "connecting" && connection.error !== null);
}
