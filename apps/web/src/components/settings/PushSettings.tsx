import { useCallback, useEffect, useId, useState } from "react";
import { useNotificationPermission } from "../../hooks/useNotificationPermission";
import { requestNotificationPermission } from "../../lib/browserNotifications";
import { errorMessage } from "../../lib/errors";
import { currentSubscription, PushError, pushSupported, subscribeBrowser, subscriptionBody } from "../../lib/push";
import { appRegistration } from "../../lib/serviceWorker";
import { trpc } from "../../trpc";
import { FormError } from "../FormError";

type PushState = "checking" | "on" | "off" | "unavailable";

const STATUS: Record<PushState, string> = {
  checking: "Checking…",
  on: "On. Direct messages and @mentions reach this device even when Murmur is closed.",
  off: "Off. Turn it on to get direct messages and @mentions on this device while Murmur is closed.",
  unavailable: "Not available here: Murmur's service worker isn't running in this browser.",
};

/** Only where the browser can do Web Push at all; the caller renders nothing otherwise. */
export function PushSettings() {
  return pushSupported() ? <PushToggle /> : null;
}

function PushToggle() {
  const utils = trpc.useUtils();
  const [permission, refreshPermission] = useNotificationPermission();
  const [state, setState] = useState<PushState>("checking");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggleId = useId();

  // The browser holds the truth; the server is told again (an upsert) in case it forgot this device.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const registration = await appRegistration();
      const subscription = registration ? await currentSubscription() : null;
      if (cancelled) return;
      setState(!registration ? "unavailable" : subscription ? "on" : "off");
      const body = subscription && subscriptionBody(subscription);
      if (body) utils.client.push.subscribe.mutate(body).catch(() => undefined);
    })();
    return () => {
      cancelled = true;
    };
  }, [utils]);

  const enable = useCallback(async () => {
    // First, while the click still counts as the user's: browsers only prompt from a gesture.
    const granted = (await requestNotificationPermission()) === "granted";
    await refreshPermission();
    if (!granted) {
      setError(
        Notification.permission === "denied"
          ? "Your browser blocks notifications for this site. Allow them in the site settings, then try again."
          : "Notifications weren't allowed, so push notifications stay off.",
      );
      return;
    }
    const { publicKey } = await utils.push.config.fetch();
    const subscription = await subscribeBrowser(publicKey);
    const body = subscriptionBody(subscription);
    if (!body) {
      await subscription.unsubscribe().catch(() => false);
      throw new PushError("Your browser gave an incomplete push subscription.");
    }
    try {
      await utils.client.push.subscribe.mutate(body);
    } catch (err) {
      // Don't leave the browser subscribed to pushes the server will never send.
      await subscription.unsubscribe().catch(() => false);
      throw err;
    }
    setState("on");
  }, [refreshPermission, utils]);

  const disable = useCallback(async () => {
    const subscription = await currentSubscription();
    if (subscription) await subscription.unsubscribe().catch(() => false);
    setState("off");
    if (subscription) await utils.client.push.unsubscribe.mutate({ endpoint: subscription.endpoint });
  }, [utils]);

  const onChange = async (on: boolean) => {
    setBusy(true);
    setError(null);
    try {
      await (on ? enable() : disable());
    } catch (err) {
      setError(err instanceof PushError ? err.message : errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const blocked = permission === "denied" && state !== "on";
  const status = blocked
    ? "Blocked by your browser. Allow notifications for this site in the browser's settings to turn this on."
    : STATUS[state];

  return (
    <div className="settings-push">
      <div className="settings-row">
        <label className="settings-switch" htmlFor={toggleId}>
          <input
            id={toggleId}
            type="checkbox"
            role="switch"
            checked={state === "on"}
            disabled={busy || state === "checking" || state === "unavailable" || blocked}
            onChange={(e) => void onChange(e.target.checked)}
            aria-describedby={`${toggleId}-status`}
            data-testid="push-toggle"
          />
          <span>Push notifications when I'm offline</span>
        </label>
      </div>
      <p
        id={`${toggleId}-status`}
        className="settings-text"
        data-testid="push-status"
        data-state={blocked ? "blocked" : state}
        aria-live="polite"
      >
        {busy ? (state === "on" ? "Turning off…" : "Turning on…") : status}
      </p>
      <FormError testId="push-error">{error}</FormError>
    </div>
  );
}
