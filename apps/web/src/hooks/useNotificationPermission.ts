import { useCallback, useSyncExternalStore } from "react";
import { notificationPermission, requestNotificationPermission } from "../lib/browserNotifications";
import type { PermissionState } from "../lib/notifications";

const listeners = new Set<() => void>();
const notifyAll = () => {
  for (const listener of listeners) listener();
};

// The user may change it in the browser's site settings; coming back to the tab re-reads it.
const subscribe = (onChange: () => void) => {
  listeners.add(onChange);
  document.addEventListener("visibilitychange", onChange);
  return () => {
    listeners.delete(onChange);
    document.removeEventListener("visibilitychange", onChange);
  };
};

export function useNotificationPermission(): [PermissionState, () => Promise<void>] {
  const permission = useSyncExternalStore(subscribe, notificationPermission);
  /** Call only from a click: see requestNotificationPermission. */
  const request = useCallback(async () => {
    await requestNotificationPermission();
    notifyAll();
  }, []);
  return [permission, request];
}
