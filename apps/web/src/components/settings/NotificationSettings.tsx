import { useNotificationPermission } from "../../hooks/useNotificationPermission";

const TEXT = {
  granted: "On. You'll be notified of direct messages and @mentions while Murmur is in the background.",
  default: "Off. Turn them on to hear about direct messages and @mentions while Murmur is in the background.",
  denied: "Blocked by your browser. Allow notifications for this site in the browser's settings to turn them on.",
  unsupported: "This browser doesn't support notifications.",
} as const;

export function NotificationSettings() {
  const [permission, request] = useNotificationPermission();
  return (
    <div className="settings-row">
      <p className="settings-text" data-testid="notification-status" data-permission={permission}>
        {TEXT[permission]}
      </p>
      {permission === "default" && (
        <button
          type="button"
          className="button button-primary"
          onClick={() => void request()}
          data-testid="enable-notifications-button"
        >
          Enable notifications
        </button>
      )}
    </div>
  );
}
