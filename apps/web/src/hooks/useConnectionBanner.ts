import { useEffect, useRef, useState } from "react";
import { useBrowserOnline, useSocketState } from "./useConnectivity";

export type BannerState = "hidden" | "connecting" | "offline" | "reconnected";

/** A first connect on a LAN takes milliseconds; only say "Connecting…" when it doesn't. */
const CONNECTING_GRACE_MS = 800;
const RECONNECTED_SHOWN_MS = 2_500;

/**
 * What to tell the user about the live connection. "Offline" covers both a browser without
 * network and a socket that dropped and is retrying; once it is back, "Reconnected" shows briefly.
 */
export function useConnectionBanner(): BannerState {
  const connection = useSocketState();
  const online = useBrowserOnline();
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
