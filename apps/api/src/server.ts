import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { DEFAULT_ROOM_PRICES } from "@murmur/api-contract";
import type { DbHandle } from "@murmur/db";
import { TRPCError } from "@trpc/server";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { getWSConnectionHandler, type CreateWSSContextFnOptions } from "@trpc/server/adapters/ws";
import sirv from "sirv";
import { WebSocketServer, type WebSocket } from "ws";
import { createAuth } from "./auth";
import type { EventBus } from "./bus/event-bus";
import { createMemoryInfrastructure, PRESENCE_SWEEP_MS, type Infrastructure } from "./infrastructure";
import { buildContext, clientIp, isSecureRequest, sessionUser, type Context, type Deps } from "./context";
import { createHttpSecurity } from "./http-security";
import { instrumentTransactions } from "./db-instrumentation";
import { metrics, register } from "./metrics";
import type { Logger } from "./logger";
import { createRateLimits, DEFAULT_RATE_LIMITS, type RateLimitConfig } from "./rate-limits";
import { appRouter } from "./root";
import { createServices } from "./services";
import type { Prices } from "./services/credits";
import {
  CLOSE,
  ConnectionState,
  DEFAULT_CONNECTION_LIMITS,
  SessionSockets,
  type ConnectionLimits,
} from "./ws-connection";
import { Heartbeat, HEARTBEAT_MS } from "./ws-heartbeat";

export interface ServerConfig {
  prices: Prices;
  rateLimits: RateLimitConfig;
  connections: ConnectionLimits;
  /** Origins besides the server's own that browsers may call from (CORS, WebSocket, cookies). */
  allowedOrigins: string[];
  /** Believe X-Forwarded-For and X-Forwarded-Proto (only behind a reverse proxy you run). */
  trustProxy: boolean;
  /** Serves /metrics on the main port to requests bearing this token; without one it is not served there. */
  metricsToken: string | null;
  /** The contact push services may use about this server's notifications (a mailto: or https: URL). */
  pushSubject: string;
  /** How often WebSockets are pinged; one that has not answered by the next ping is cut. */
  heartbeatMs: number;
}

export const DEFAULT_CONFIG: ServerConfig = {
  prices: { privateRoom: DEFAULT_ROOM_PRICES.private, superSecretRoom: DEFAULT_ROOM_PRICES.superSecret },
  rateLimits: DEFAULT_RATE_LIMITS,
  connections: DEFAULT_CONNECTION_LIMITS,
  allowedOrigins: [],
  trustProxy: false,
  metricsToken: null,
  pushSubject: "mailto:admin@localhost",
  heartbeatMs: HEARTBEAT_MS,
};

export interface MurmurServerOptions {
  database: DbHandle;
  log: Logger;
  config?: Partial<ServerConfig>;
  /** Where live events, presence, typing and limits live: this process, unless Redis is given. */
  infrastructure?: Infrastructure;
  /** The built web app; served when the folder exists. */
  webDist?: string | undefined;
}

export interface MurmurServer {
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  /** Asks clients to reconnect elsewhere, then stops; the database stays open for the caller. */
  close(): Promise<void>;
  bus: EventBus;
  httpServer: Server;
}

/** The proxy's request id when it sent one, so logs line up end to end; otherwise a fresh one. */
const requestId = (req: IncomingMessage) => {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
};

/** Resolves once `done()` holds, checked every 20 ms, or after `ms` at the latest. */
async function waitUntil(done: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** Over a WebSocket there is no response to set a cookie on. */
const noCookies = () => undefined;

const DEFAULT_WEB_DIST = fileURLToPath(new URL("../../web/dist", import.meta.url));
const WS_MAX_PAYLOAD = 64 * 1024;

export function createMurmurServer(options: MurmurServerOptions): MurmurServer {
  const { log, database } = options;
  const config: ServerConfig = { ...DEFAULT_CONFIG, ...options.config };
  const infrastructure = options.infrastructure ?? createMemoryInfrastructure();
  const { bus } = infrastructure;
  const auth = createAuth(database.db);
  const services = createServices({
    db: database.db,
    dbConcurrency: database.poolSize,
    bus,
    auth,
    log,
    prices: config.prices,
    rateLimits: createRateLimits(config.rateLimits, infrastructure.limiters),
    presenceStore: infrastructure.presenceStore,
    typingStore: infrastructure.typingStore,
    pushSubject: config.pushSubject,
  });
  // Every process forgets ended sessions at once, wherever the logout happened, and closes their sockets.
  const sessionSockets = new SessionSockets();
  const lifetime = new AbortController();
  void bus.subscribe(
    "sessions",
    "all",
    (event) => {
      auth.forget(event.sessionIds);
      sessionSockets.ended(event.sessionIds);
    },
    lifetime.signal,
  );
  const sweeper = setInterval(() => {
    auth.sweep();
    services.presence.sweep().catch((err: unknown) => log.warn({ err }, "presence sweep failed"));
  }, PRESENCE_SWEEP_MS);
  sweeper.unref();
  const deps: Deps = { db: database.db, bus, auth, log, services };
  const security = createHttpSecurity(config);
  instrumentTransactions(database.db);
  metrics.dbPoolSize.set(database.poolSize);
  const pinger = setInterval(() => {
    const end = metrics.dbPing.startTimer();
    database.ping().then(
      () => end(),
      (err: unknown) => log.warn({ err }, "database ping failed"),
    );
  }, 10_000);
  pinger.unref();
  let inFlight = 0;
  const connectionsByUser = new Map<string, number>();

  const onError = ({
    error,
    path,
    ctx,
  }: {
    error: { code: string; message: string; cause?: unknown };
    path?: string | undefined;
    ctx?: Context | undefined;
  }) => {
    const logger = ctx?.log ?? log;
    if (error.code === "INTERNAL_SERVER_ERROR") logger.error({ err: error.cause ?? error, path }, "procedure failed");
    else logger.debug({ code: error.code, path }, error.message);
  };

  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: "/trpc/",
    onError,
    async createContext({ req, res }): Promise<Context> {
      const token =
        deps.auth.tokenFromAuthorizationHeader(req.headers.authorization) ??
        deps.auth.tokenFromCookieHeader(req.headers.cookie);
      return buildContext(deps, {
        log: log.child({ reqId: requestId(req) }),
        user: await sessionUser(deps, token),
        ip: clientIp(req, config.trustProxy),
        transport: "http",
        secure: isSecureRequest(req, config.trustProxy),
        setCookie: (cookie) => res.appendHeader("Set-Cookie", cookie),
        connection: null,
      });
    },
  });

  const webDist = options.webDist ?? DEFAULT_WEB_DIST;
  const serveWeb = existsSync(webDist) ? sirv(webDist, { single: true, etag: true }) : null;
  if (!serveWeb) log.warn({ webDist }, "web app not built; serving the API only");

  const ready = async () => {
    const check = (probe: () => Promise<void>) =>
      Promise.race([
        probe().then(() => "up" as const),
        new Promise<"down">((resolve) => setTimeout(() => resolve("down"), 2_000).unref()),
      ]).catch(() => "down" as const);
    const [db, redis] = await Promise.all([check(() => database.ping()), check(() => infrastructure.ping())]);
    return { ready: db === "up" && redis === "up", db, ...(infrastructure.kind === "redis" ? { redis } : {}) };
  };

  const httpServer = createServer((req, res) => {
    inFlight++;
    res.once("close", () => inFlight--);
    void security.applyHeaders(req, res).then(async () => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      if (path === "/metrics") {
        const authorized =
          config.metricsToken !== null && req.headers.authorization === `Bearer ${config.metricsToken}`;
        if (!authorized) {
          res.writeHead(config.metricsToken ? 401 : 404, { "content-type": "text/plain" }).end("Not available");
          return;
        }
        res.writeHead(200, { "content-type": register.contentType }).end(await register.metrics());
      } else if (path === "/readyz") {
        const state = await ready();
        res
          .writeHead(state.ready ? 200 : 503, { "content-type": "application/json" })
          .end(JSON.stringify({ status: state.ready ? "ready" : "not ready", db: state.db, redis: state.redis }));
      } else if (path === "/healthz") {
        // Alive either way; "degraded" while live events cannot cross processes.
        const status = bus.health() === "ok" ? "ok" : "degraded";
        res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ status, bus: infrastructure.kind, pid: process.pid }));
      } else if (path.startsWith("/trpc/")) {
        if (security.handleCors(req, res)) return;
        if (!security.originAllowed(req)) {
          res.writeHead(403, { "content-type": "text/plain" }).end("Origin not allowed");
          return;
        }
        trpcHandler(req, res);
      } else if (serveWeb) {
        serveWeb(req, res, () => {
          res.writeHead(404).end("Not found");
        });
      } else {
        res.writeHead(404, { "content-type": "text/plain" }).end("Not found");
      }
    });
  });

  // Every open socket and its state, kept here rather than by ws (clientTracking), whose own close
  // listener per socket duplicated socketClosed's.
  const connections = new Map<WebSocket, ConnectionState>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD, clientTracking: false });
  const heartbeat = new Heartbeat(() => connections.keys(), config.heartbeatMs);
  // One close listener for every socket (ws calls it with the socket as `this`): it undoes what
  // the connection and createContext counted and registered.
  function socketClosed(this: WebSocket) {
    const user = connections.get(this)?.user;
    connections.delete(this);
    metrics.wsConnections.dec();
    if (!user) return;
    sessionSockets.remove(this);
    const left = (connectionsByUser.get(user.id) ?? 1) - 1;
    if (left > 0) connectionsByUser.set(user.id, left);
    else connectionsByUser.delete(user.id);
    void deps.services.presence.disconnected(user);
  }
  async function createWsContext({ req, res, info }: CreateWSSContextFnOptions): Promise<Context> {
    const token = info.connectionParams?.token ?? deps.auth.tokenFromCookieHeader(req.headers.cookie);
    const user = await sessionUser(deps, token ?? null);
    const connection = connections.get(res) ?? null;
    // Gone while its session was looked up: its "close" has fired, so nothing may be counted or kept for it.
    if (res.readyState !== res.OPEN || !connection) {
      throw new TRPCError({ code: "CLIENT_CLOSED_REQUEST", message: "Connection closed while authenticating" });
    }
    if (user) {
      const open = connectionsByUser.get(user.id) ?? 0;
      if (open >= config.connections.maxConnectionsPerUser) {
        res.close(CLOSE.tooManyConnections, "Too many connections for this user");
        throw new Error("too many connections");
      }
      connectionsByUser.set(user.id, open + 1);
      // A WebSocket context lives as long as its connection: presence and session checks hang off it.
      void deps.services.presence.connected(user);
      sessionSockets.add(res, user);
      connection.user = user;
    }
    return buildContext(deps, {
      log: log.child({ connId: requestId(req) }),
      user,
      ip: clientIp(req, config.trustProxy),
      transport: "ws",
      secure: isSecureRequest(req, config.trustProxy),
      setCookie: noCookies,
      connection,
    });
  }
  wss.on("connection", (socket, req) => {
    metrics.wsConnections.inc();
    const connection = new ConnectionState(config.connections, socket, req.socket);
    connections.set(socket, connection);
    socket.on("close", socketClosed);
    heartbeat.watch(socket);
    // One handler per connection, so its encoder sees which subscription tRPC has just started.
    // Options written out, not spread from a shared object: a spread gave each connection's copy,
    // which tRPC keeps, a hidden class of its own.
    getWSConnectionHandler({
      wss,
      router: appRouter,
      onError,
      createContext: createWsContext,
      experimental_encoder: connection.encoder,
    })(socket, req);
  });

  httpServer.on("upgrade", (req, socket, head) => {
    const path = (req.url ?? "").split("?")[0];
    if (path !== "/trpc") {
      socket.end("HTTP/1.1 404 Not Found\r\n\r\n");
      return;
    }
    if (!security.originAllowed(req)) {
      socket.end("HTTP/1.1 403 Forbidden\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
  });

  return {
    bus,
    httpServer,
    async listen(port, host = "0.0.0.0") {
      await deps.services.presence.resetStale().catch((err: unknown) => {
        log.warn({ err }, "could not reset stale online flags; they clear as users reconnect");
      });
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          const shownHost = host === "0.0.0.0" || host === "::" ? "localhost" : host;
          resolve({ port: address.port, url: `http://${shownHost}:${address.port}` });
        });
      });
    },
    async close() {
      // Stop accepting, ask WebSocket clients to go elsewhere, let requests in flight (sends
      // included) finish, and only then cut what is left.
      const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      const reconnect = JSON.stringify({ id: null, method: "reconnect" });
      for (const [client, connection] of connections) if (client.readyState === client.OPEN) connection.send(reconnect);
      httpServer.closeIdleConnections();
      // Calls in flight over HTTP and over WebSocket connections alike, for up to 10 s.
      await waitUntil(() => inFlight === 0 && ![...connections.values()].some((connection) => connection.busy), 10_000);
      await new Promise((resolve) => setTimeout(resolve, 200));
      for (const client of connections.keys()) client.close(1012, "Server restarting");
      // Closing handshakes finish, or are cut after 5 s (ws alone would wait 30 s for each), and
      // every socket's close listener has run (presence, counts) before the database may close.
      await waitUntil(() => connections.size === 0, 5_000);
      // Not events.once: it rejects on an "error", which ws may emit (a bad last frame) before "close".
      const cut = [...connections.keys()].map(
        (client) => new Promise<void>((resolve) => client.once("close", () => resolve())),
      );
      for (const client of connections.keys()) client.terminate();
      await Promise.all(cut);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      httpServer.closeAllConnections();
      await stopped;
      clearInterval(sweeper);
      clearInterval(pinger);
      lifetime.abort();
      sessionSockets.stop();
      heartbeat.stop();
      await deps.services.presence.settled();
    },
  };
}
