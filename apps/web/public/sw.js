/* global self, caches, clients, fetch, URL, Request, MessageChannel, setTimeout, clearTimeout */
/**
 * Murmur's service worker: keeps the app shell available offline and shows Web Push notifications.
 *
 * The build (see vite.config.ts) rewrites the BUILD line below with a version derived from the
 * emitted file names and the list of hashed assets to precache, so every deploy ships a different
 * sw.js: the browser installs it, it takes over at once and deletes the previous deploy's cache.
 * Served unbuilt (the Vite dev server) it is inert: the app only registers it in production.
 */
const BUILD = /* build-manifest */ { version: "dev", assets: [] };

const CACHE_PREFIX = "murmur-shell-";
const CACHE = `${CACHE_PREFIX}${BUILD.version}`;
const SHELL = "/index.html";
const PRECACHE = [SHELL, "/manifest.webmanifest", "/favicon.svg", "/icons/icon-192.png", ...BUILD.assets];
/** Live data and operational endpoints: always the network, never a cached copy. */
const NEVER_CACHE = ["/trpc", "/healthz", "/readyz", "/metrics"];

const bypassed = (path) => NEVER_CACHE.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // The shell is required (offline start depends on it); the rest is fetched again on demand if it fails.
      await cache.add(new Request(SHELL, { cache: "reload" }));
      await Promise.all(
        PRECACHE.filter((url) => url !== SHELL).map((url) =>
          cache.add(new Request(url, { cache: "reload" })).catch(() => undefined),
        ),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith(CACHE_PREFIX) && name !== CACHE).map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

/** Pages: the network first, so a deploy shows at once; the cached shell when the server is unreachable. */
async function navigation(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    const type = response.headers.get("content-type") ?? "";
    if (response.ok && type.includes("text/html")) await cache.put(SHELL, response.clone());
    return response;
  } catch (error) {
    const shell = await cache.match(SHELL);
    if (shell) return shell;
    throw error;
  }
}

/** Fingerprinted assets never change under the same name: the cache first, else fetch and keep. */
async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/** Unhashed static files (icons, manifest): the cached copy now, a fresh one for next time. */
async function staleWhileRevalidate(event) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(event.request);
  const network = fetch(event.request).then(async (response) => {
    if (response.ok) await cache.put(event.request, response.clone());
    return response;
  });
  if (!cached) return network;
  event.waitUntil(network.catch(() => undefined));
  return cached;
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET" || request.headers.has("range")) return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || bypassed(url.pathname)) return;
  if (request.mode === "navigate") {
    event.respondWith(navigation(request));
  } else if (url.pathname.startsWith("/assets/")) {
    event.respondWith(cacheFirst(request));
  } else if (url.pathname === "/sw.js" || url.search) {
    return;
  } else if (PRECACHE.includes(url.pathname) || url.pathname.startsWith("/icons/")) {
    event.respondWith(staleWhileRevalidate(event));
  }
});

/** Only this app's own pages may be opened from a notification. */
function appUrl(value) {
  try {
    const url = new URL(typeof value === "string" ? value : "/", self.location.origin);
    return url.origin === self.location.origin ? url.href : `${self.location.origin}/`;
  } catch {
    return `${self.location.origin}/`;
  }
}

self.addEventListener("push", (event) => {
  let payload = {};
  try {
    payload = event.data ? event.data.json() : {};
  } catch {
    payload = { body: event.data ? event.data.text() : "" };
  }
  const title = typeof payload.title === "string" && payload.title ? payload.title : "Murmur";
  const body = typeof payload.body === "string" ? payload.body : "";
  const url = appUrl(payload.url);
  event.waitUntil(
    self.registration.showNotification(title, {
      body,
      data: { url },
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
      // One notification per conversation: a new message replaces the previous one.
      tag: new URL(url).pathname,
      renotify: true,
    }),
  );
});

/**
 * Asks an open page to route itself (no reload, nothing typed is lost). A page that does not
 * answer in time (an old version, still loading) is navigated by the browser instead.
 */
function askToNavigate(client, url) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(false), 1_000);
    channel.port1.onmessage = () => {
      clearTimeout(timer);
      resolve(true);
    };
    client.postMessage({ type: "murmur:navigate", url }, [channel.port2]);
  });
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = appUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const windows = await clients.matchAll({ type: "window", includeUncontrolled: true });
      const own = windows.filter((client) => new URL(client.url).origin === self.location.origin);
      const client = own.find((c) => c.focused) ?? own.find((c) => c.visibilityState === "visible") ?? own[0];
      if (!client) {
        await clients.openWindow(url);
        return;
      }
      const focused = await client.focus().catch(() => client);
      if (focused.url === url) return;
      const routed = await askToNavigate(focused, url);
      if (!routed && "navigate" in focused) await focused.navigate(url).catch(() => clients.openWindow(url));
    })(),
  );
});
