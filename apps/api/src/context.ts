import type { IncomingMessage } from "node:http";
import type { Database } from "@murmur/db";
import type { Auth } from "./auth";
import type { EventBus } from "./bus/event-bus";
import type { Logger } from "./logger";
import type { Services } from "./services";
import type { ConnectionState } from "./ws-connection";

/** What every request shares: built once per server. */
export interface Deps {
  db: Database;
  bus: EventBus;
  auth: Auth;
  log: Logger;
  services: Services;
}

export interface SessionUser {
  id: string;
  username: string;
  sessionToken: string;
  expiresAt: Date;
}

export interface Context extends Deps {
  user: SessionUser | null;
  /** The client's address, for per-IP limits. */
  ip: string;
  transport: "http" | "ws";
  /** Whether the client reached us over https, so cookies can be marked Secure. */
  secure: boolean;
  /** Adds a Set-Cookie header to the HTTP response; over WebSocket there is none. */
  setCookie(cookie: string): void;
  /** The WebSocket connection's own state; null over HTTP. */
  connection: ConnectionState | null;
}

/**
 * A request's or connection's context, written out property by property: built with a spread of
 * `deps`, every WebSocket context (kept as long as its connection) got a hidden class of its own
 * in V8, some 400 bytes per connection more than one shared class.
 */
export function buildContext(deps: Deps, own: Omit<Context, Exclude<keyof Deps, "log">>): Context {
  return {
    db: deps.db,
    bus: deps.bus,
    auth: deps.auth,
    log: own.log,
    services: deps.services,
    user: own.user,
    ip: own.ip,
    transport: own.transport,
    secure: own.secure,
    setCookie: own.setCookie,
    connection: own.connection,
  };
}

/** A procedure's context behind protectedProcedure. */
export type SignedInContext = Context & { user: SessionUser };

export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(",")[0]?.trim();
  return first || req.socket.remoteAddress || "unknown";
}

export function isSecureRequest(req: IncomingMessage, trustProxy: boolean): boolean {
  const socket = req.socket as { encrypted?: boolean };
  return socket.encrypted === true || (trustProxy && req.headers["x-forwarded-proto"] === "https");
}

export async function sessionUser(deps: Deps, token: string | null): Promise<SessionUser | null> {
  if (!token) return null;
  const session = await deps.auth.validate(token);
  return session
    ? { id: session.userId, username: session.username, sessionToken: token, expiresAt: session.expiresAt }
    : null;
}
