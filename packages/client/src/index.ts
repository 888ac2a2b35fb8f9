import type { AppRouter } from "@murmur/api/router";
import {
  createTRPCClient,
  createWSClient,
  httpBatchLink,
  splitLink,
  wsLink,
  type TRPCClient,
  type TRPCClientErrorLike,
} from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import superjson from "superjson";
import WebSocket from "ws";

export type { AppRouter };
type WebSocketConstructor = NonNullable<Parameters<typeof createWSClient>[0]["WebSocket"]>;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type MurmurClientError = TRPCClientErrorLike<AppRouter>;

export interface MurmurClientOptions {
  /** The server's base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  /** A session token from `auth.login` or `auth.register`; omit for anonymous calls. */
  token?: string | undefined;
  /** Headers sent on every HTTP call and on the WebSocket upgrade. */
  headers?: Record<string, string>;
  /** Reconnect delay for the WebSocket, by attempt. */
  retryDelayMs?: (attempt: number) => number;
  onOpen?: () => void;
  onClose?: (cause?: { code?: number }) => void;
  /** Replaces the HTTP fetch (to add tracing, say). */
  fetch?: typeof fetch;
  /** Sees every frame the server sends over the WebSocket, as text. */
  onFrame?: (frame: string) => void;
}

export interface MurmurClient {
  api: TRPCClient<AppRouter>;
  /** Closes the WebSocket, ending every subscription. */
  close(): Promise<void>;
  /** Opens a new WebSocket in place of a dropped one (subscriptions resume by lastEventId). */
  readonly ws: ReturnType<typeof createWSClient>;
}

/**
 * A fully typed Node client for bots, internal services, tests and benchmarks: queries and
 * mutations over HTTP, subscriptions over one WebSocket that reconnects and resumes.
 */
export function createMurmurClient(options: MurmurClientOptions): MurmurClient {
  const base = options.url.replace(/\/$/, "");
  const headers = {
    ...options.headers,
    ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
  };
  const ws = createWSClient({
    url: `${base.replace(/^http/, "ws")}/trpc`,
    // Node 20 has no global WebSocket; `ws` speaks the same protocol and can send headers.
    WebSocket: class extends WebSocket {
      constructor(address: string | URL, protocols?: string | string[]) {
        super(address, protocols, { headers: options.headers ?? {} });
        const onFrame = options.onFrame;
        if (onFrame) this.on("message", (data: Buffer) => onFrame(data.toString("utf8")));
      }
    } as unknown as WebSocketConstructor,
    connectionParams: options.token ? { token: options.token } : undefined,
    retryDelayMs: options.retryDelayMs ?? ((attempt) => Math.min(50 * 2 ** attempt, 5_000)),
    lazy: { enabled: true, closeMs: 0 },
    onOpen: options.onOpen,
    onClose: options.onClose,
  });
  const api = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: wsLink({ client: ws, transformer: superjson }),
        false: httpBatchLink({
          url: `${base}/trpc`,
          transformer: superjson,
          headers,
          ...(options.fetch ? { fetch: options.fetch } : {}),
        }),
      }),
    ],
  });
  return { api, ws, close: () => ws.close() };
}
