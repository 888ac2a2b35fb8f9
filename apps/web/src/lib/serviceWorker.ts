import { navigate } from "wouter/use-browser-location";

/**
 * The app's service worker (public/sw.js): offline app shell and Web Push. Registered once, in
 * production builds only: in development Vite serves modules that must never be cached.
 */

let registration: Promise<ServiceWorkerRegistration | null> | null = null;

export const serviceWorkerSupported = () => typeof navigator !== "undefined" && "serviceWorker" in navigator;

function afterLoad(): Promise<void> {
  // Don't compete with the app's own first load for the network.
  if (document.readyState === "complete") return Promise.resolve();
  return new Promise((resolve) => window.addEventListener("load", () => resolve(), { once: true }));
}

export function registerServiceWorker(): Promise<ServiceWorkerRegistration | null> {
  registration ??=
    import.meta.env.PROD && serviceWorkerSupported()
      ? afterLoad()
          .then(() => navigator.serviceWorker.register("/sw.js", { scope: "/" }))
          .catch(() => null)
      : Promise.resolve(null);
  return registration;
}

/** The registration push subscriptions hang off, or null where there is none (development, refused). */
export function appRegistration(): Promise<ServiceWorkerRegistration | null> {
  return registration ?? Promise.resolve(null);
}

interface NavigateMessage {
  type: "murmur:navigate";
  url: string;
}

const isNavigateMessage = (data: unknown): data is NavigateMessage =>
  typeof data === "object" &&
  data !== null &&
  (data as { type?: unknown }).type === "murmur:navigate" &&
  typeof (data as { url?: unknown }).url === "string";

/** A notification was clicked: the worker asks this page to open that conversation, without a reload. */
export function listenForWorkerNavigation() {
  if (!serviceWorkerSupported()) return;
  navigator.serviceWorker.addEventListener("message", (event: MessageEvent<unknown>) => {
    if (!isNavigateMessage(event.data)) return;
    const url = new URL(event.data.url, window.location.origin);
    if (url.origin !== window.location.origin) return;
    navigate(`${url.pathname}${url.search}${url.hash}`);
    event.ports[0]?.postMessage("ok");
  });
}
