import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { wsClient } from "../trpc";

export type BannerState = "hidden" | "connecting" | "offline" | "reconnected";

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

/** A first connect on a LAN takes milliseconds; only say "Connecting…" when it doesn't. */
const CONNECTING_GRACE_MS = 800;
const RECONNECTED_SHOWN_MS = 2_500;

/**
 * What to tell the user about the live connection. "Offline" covers both a browser without
 * network and a socket that dropped and is retrying; once it is back, "Reconnected" shows briefly.
 */
export function useConnectionBanner(): BannerState {
  const connection = useSyncExternalStore(subscribeConnection, getConnection);
  const online = useSyncExternalStore(subscribeOnline, getOnline);
  const lostRef = useRef(false);
  const [slowConnect, setSlowConnect] = useState(false);
  const [justReconnected, setJustReconnected] = useState(false);

  const offline = !online || (connection.state === "connecting" && connection.error !== null);
  const connecting = online && connection.state === "connecting" && connection.error === null;

  useEffect(() => {
    if (offline) {
      lostRef.current = true;
      setJustReconnected(false);
    } else if (connection.state === "pending" && lostRef.current) {
      lostRef.current = false;
      setJustReconnected(true);
      const timer = setTimeout(() => setJustReconnected(false), RECONNECTED_SHOWN_MS);
      return () => clearTimeout(timer);
    } else if (connection.state === "idle") {
      // Logged out or no room open: the next connect is a fresh start, not a recovery.
      lostRef.current = false;
    }
  }, [offline, connection.state]);

  useEffect(() => {
    setSlowConnect(false);
    if (!connecting) return;
    const timer = setTimeout(() => setSlowConnect(true), CONNECTING_GRACE_MS);
    return () => clearTimeout(timer);
  }, [connecting]);

  if (offline) return "offline";
  if (connecting && slowConnect) return "connecting";
  if (justReconnected) return "reconnected";
  return "hidden";
}
