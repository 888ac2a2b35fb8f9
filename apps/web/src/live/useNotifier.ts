import { useCallback, useEffect, useRef } from "react";
import { useLocation } from "wouter";
import { useMe } from "../hooks/useMe";
import { notificationPermission, showNotification } from "../lib/browserNotifications";
import { notificationFor, shouldNotify, type IncomingMessage } from "../lib/notifications";

/** Shows a browser notification for a message when the rules in lib/notifications say so. */
export function useNotifier() {
  const me = useMe();
  const [, navigate] = useLocation();
  const navigateRef = useRef(navigate);
  useEffect(() => {
    navigateRef.current = navigate;
  });

  return useCallback(
    (message: IncomingMessage) => {
      const context = {
        me: { id: me.id, username: me.username },
        tabHidden: document.visibilityState === "hidden",
        permission: notificationPermission(),
        now: new Date(),
      };
      if (!shouldNotify(message, context)) return;
      const content = notificationFor(message);
      showNotification(content, () => navigateRef.current(content.path));
    },
    [me.id, me.username],
  );
}
