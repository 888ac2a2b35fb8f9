import { useState } from "react";
import { useNotificationPermission } from "../hooks/useNotificationPermission";
import { bannerDismissed, dismissBanner } from "../lib/browserNotifications";
import { Icon } from "./Icon";

/** Asked once, and only by the user's click: browsers punish sites that prompt on load. */
export function NotificationBanner() {
  const [permission, request] = useNotificationPermission();
  const [dismissed, setDismissed] = useState(bannerDismissed);
  if (permission !== "default" || dismissed) return null;

  const close = () => {
    dismissBanner();
    setDismissed(true);
  };

  return (
    <div className="notification-banner" role="region" aria-label="Notifications" data-testid="notification-banner">
      <Icon name="bell" size={18} />
      <p>
        <span className="banner-long">
          Get notified about direct messages and @mentions while Murmur is in the background.
        </span>
        <span className="banner-short">Turn on notifications for DMs and @mentions?</span>
      </p>
      <button
        type="button"
        className="button button-primary button-small"
        onClick={() => void request().then(close)}
        data-testid="banner-enable-notifications"
      >
        Enable
      </button>
      <button type="button" className="button button-ghost button-small" onClick={close}>
        Not now
      </button>
    </div>
  );
}
