import { appRegistration } from "./serviceWorker";

/**
 * Web Push subscriptions for this browser. The server holds the VAPID key pair and sends the
 * pushes; the service worker (public/sw.js) shows them.
 */

export const pushSupported = () =>
  typeof navigator !== "undefined" &&
  typeof window !== "undefined" &&
  "serviceWorker" in navigator &&
  "PushManager" in window;

/** A base64url VAPID public key as the bytes `PushManager.subscribe()` wants. */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, "");
  const binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const sameBytes = (a: ArrayBuffer | null, b: Uint8Array) => {
  if (!a || a.byteLength !== b.byteLength) return false;
  const view = new Uint8Array(a);
  return view.every((byte, i) => byte === b[i]);
};

/** Exactly what the server's push.subscribe takes: `PushSubscription.toJSON()`. */
export interface PushSubscriptionBody {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export function subscriptionBody(subscription: PushSubscription): PushSubscriptionBody | null {
  const json = subscription.toJSON();
  const p256dh = json.keys?.p256dh;
  const auth = json.keys?.auth;
  if (!json.endpoint || !p256dh || !auth) return null;
  return { endpoint: json.endpoint, keys: { p256dh, auth } };
}

/** Thrown with a message fit for the user. */
export class PushError extends Error {}

export async function pushRegistration(): Promise<ServiceWorkerRegistration> {
  const registration = await appRegistration();
  if (!registration) {
    throw new PushError("Push notifications need Murmur's service worker, which isn't running in this build.");
  }
  return registration;
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await appRegistration();
  if (!registration) return null;
  try {
    return await registration.pushManager.getSubscription();
  } catch {
    return null;
  }
}

/**
 * Subscribes this browser with the server's key. An old subscription made with another key (the
 * server's keys were regenerated) is replaced, since the push service would reject its pushes.
 */
export async function subscribeBrowser(publicKey: string): Promise<PushSubscription> {
  const registration = await pushRegistration();
  const key = applicationServerKey(publicKey);
  const existing = await registration.pushManager.getSubscription();
  if (existing) {
    if (sameBytes(existing.options.applicationServerKey, key)) return existing;
    await existing.unsubscribe().catch(() => false);
  }
  try {
    return await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  } catch (error) {
    const reason = error instanceof Error && error.message ? ` (${error.message})` : "";
    throw new PushError(`Your browser refused to set up push notifications${reason}.`);
  }
}

/**
 * On log-out: pushes for this account must stop reaching this browser, whoever uses it next.
 * Best effort and quick: log-out never waits on it for more than a few seconds.
 */
export async function forgetPushSubscription(unsubscribeOnServer: (endpoint: string) => Promise<unknown>) {
  const work = (async () => {
    const subscription = await currentSubscription();
    if (!subscription) return;
    await unsubscribeOnServer(subscription.endpoint).catch(() => undefined);
    await subscription.unsubscribe().catch(() => false);
  })();
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 3_000))]);
}
