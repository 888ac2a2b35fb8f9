import type { AppRouter } from "@murmur/api/router";
import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { createWSClient, httpBatchLink, splitLink, wsLink } from "@trpc/client";
import { createTRPCReact, getQueryKey } from "@trpc/react-query";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import superjson from "superjson";
import { appCodeOf, isRetryable } from "./lib/errors";

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const trpc = createTRPCReact<AppRouter>();

function wsUrl(): string {
  const { protocol, host } = window.location;
  return `${protocol === "https:" ? "wss" : "ws"}://${host}/trpc`;
}

/**
 * One socket for all live rooms. Lazy: it opens with the first subscription, so it is never
 * opened before log-in (the upgrade is authenticated by the session cookie at connect time).
 */
export const wsClient = createWSClient({
  url: wsUrl,
  lazy: { enabled: true, closeMs: 10_000 },
  // A LAN server restarts in seconds; don't make people wait for the default 30 s backoff.
  retryDelayMs: (attempt) => (attempt === 0 ? 0 : Math.min(500 * 2 ** attempt, 5_000)),
  // Without pings a pulled cable or a sleeping laptop leaves a dead socket that looks open.
  keepAlive: { enabled: true, intervalMs: 15_000, pongTimeoutMs: 5_000 },
});

/**
 * The socket keeps the identity it had when it connected, so after log-in or log-out the old
 * one must go; the next subscription opens a fresh one with the new cookie.
 */
export function resetRealtime(): Promise<void> {
  return wsClient.close();
}

/**
 * Sends and history pages ride the socket that is already open for the live streams: no HTTP
 * request, headers or session look-up each (the outbox sends one message at a time, which is what
 * keeps sends in order). Everything else goes over HTTP (log-in must set cookies, and most of it
 * happens before a socket is open).
 */
const overSocket = new Set(["messages.send", "dm.send", "messages.history", "dm.history"]);

export const trpcClient = trpc.createClient({
  links: [
    splitLink({
      condition: (op) => op.type === "subscription" || overSocket.has(op.path),
      true: wsLink({ client: wsClient, transformer: superjson }),
      false: httpBatchLink({ url: "/trpc", transformer: superjson }),
    }),
  ],
});

const meKey = getQueryKey(trpc.auth.me);
export const isMeQuery = (key: readonly unknown[]) => {
  const path = key[0];
  return Array.isArray(path) && path.join(".") === "auth.me";
};

/** A session that expired (or was logged out in another tab) sends everyone back to the login page. */
export function onSessionLost(error: unknown) {
  if (appCodeOf(error) === "NOT_AUTHENTICATED") void queryClient.resetQueries({ queryKey: meKey });
}

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (error, query) => {
      // auth.me failing is how the app learns it is logged out; reacting to it would loop.
      if (!isMeQuery(query.queryKey)) onSessionLost(error);
    },
  }),
  mutationCache: new MutationCache({ onError: onSessionLost }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      retry: (failureCount, error) => failureCount < 2 && isRetryable(error),
    },
    mutations: { retry: false },
  },
});
