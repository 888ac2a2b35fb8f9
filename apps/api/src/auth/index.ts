import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { createHash } from "node:crypto";
import { sessions, users, type Database } from "@murmur/db";
import { and, asc, eq, gt } from "drizzle-orm";
import { Cookie, Lucia, TimeSpan } from "lucia";

export { burnPasswordCheck, hashPassword, verifyPassword } from "./passwords";

/**
 * Everything Murmur needs from sessions, behind one small surface: lucia v3 is in maintenance
 * upstream, and nothing outside this folder should have to change if it is replaced.
 */
export interface Auth {
  createSession(userId: string): Promise<{ token: string; expiresAt: Date }>;
  /** The session's user id, or null for an unknown or expired token. */
  validate(token: string): Promise<{ userId: string; username: string; expiresAt: Date } | null>;
  invalidate(token: string): Promise<void>;
  /** Drops sessions (by public id) from this process's cache: they were ended, maybe elsewhere. */
  forget(sessionIds: string[]): void;
  /** Drops cached sessions past their cache time: otherwise an idle server keeps one per user it has seen. */
  sweep(): void;
  /** Ends every session of the user but `keepToken`; returns the public ids of those ended. */
  invalidateOthers(userId: string, keepToken: string | null): Promise<string[]>;
  /** The user's live sessions, by public id: the token itself never leaves this module after login. */
  list(userId: string): Promise<{ id: string; createdAt: Date; expiresAt: Date; token: string }[]>;
  sessionCookie(token: string, secure: boolean): string;
  blankCookie(secure: boolean): string;
  tokenFromCookieHeader(header: string | undefined): string | null;
  tokenFromAuthorizationHeader(header: string | undefined): string | null;
}

const SESSION_COOKIE = "murmur_session";

/** A session's public id: derived from the token, useless for signing in. */
export const publicSessionId = (token: string) => createHash("sha256").update(token).digest("base64url").slice(0, 22);

declare module "lucia" {
  interface Register {
    Lucia: Lucia<Record<never, never>, { username: string }>;
    DatabaseUserAttributes: { username: string };
  }
}

/**
 * Validated sessions are remembered briefly, so a burst of sends costs one session lookup, not
 * one per message. Logout and revocation evict them at once, in every process (see `forget`).
 */
const SESSION_CACHE_MS = 15_000;
const SESSION_CACHE_MAX = 10_000;

export function createAuth(db: Database): Auth {
  const cache = new Map<string, { userId: string; username: string; expiresAt: Date; until: number }>();
  const lucia = new Lucia(new DrizzlePostgreSQLAdapter(db, sessions, users), {
    sessionExpiresIn: new TimeSpan(30, "d"),
    sessionCookie: { name: SESSION_COOKIE, attributes: { sameSite: "lax", secure: false } },
    getUserAttributes: (attributes) => ({ username: attributes.username }),
  });
  const withSecure = (cookie: Cookie, secure: boolean) =>
    new Cookie(cookie.name, cookie.value, { ...cookie.attributes, secure }).serialize();

  return {
    async createSession(userId) {
      const session = await lucia.createSession(userId, {});
      return { token: session.id, expiresAt: session.expiresAt };
    },
    async validate(token) {
      const now = Date.now();
      const cached = cache.get(token);
      if (cached && cached.until > now) return cached;
      cache.delete(token);
      const { session, user } = await lucia.validateSession(token);
      if (!session) return null;
      const valid = { userId: session.userId, username: user.username, expiresAt: session.expiresAt };
      if (cache.size >= SESSION_CACHE_MAX) cache.delete(cache.keys().next().value ?? "");
      // Written out, not spread from `valid`: a spread gave every entry a hidden class of its own.
      cache.set(token, {
        userId: valid.userId,
        username: valid.username,
        expiresAt: valid.expiresAt,
        until: Math.min(now + SESSION_CACHE_MS, session.expiresAt.getTime()),
      });
      return valid;
    },
    async invalidate(token) {
      cache.delete(token);
      await lucia.invalidateSession(token);
    },
    forget(sessionIds) {
      const ended = new Set(sessionIds);
      for (const token of cache.keys()) if (ended.has(publicSessionId(token))) cache.delete(token);
    },
    sweep() {
      const now = Date.now();
      for (const [token, entry] of cache) if (entry.until <= now) cache.delete(token);
    },
    async invalidateOthers(userId, keepToken) {
      const live = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
      const ended = live.filter((s) => s.id !== keepToken);
      for (const session of ended) {
        cache.delete(session.id);
        await lucia.invalidateSession(session.id);
      }
      return ended.map((s) => publicSessionId(s.id));
    },
    async list(userId) {
      const rows = await db
        .select({ token: sessions.id, createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
        .from(sessions)
        .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date())))
        .orderBy(asc(sessions.createdAt));
      return rows.map((r) => ({ ...r, id: publicSessionId(r.token) }));
    },
    sessionCookie: (token, secure) => withSecure(lucia.createSessionCookie(token), secure),
    blankCookie: (secure) => withSecure(lucia.createBlankSessionCookie(), secure),
    tokenFromCookieHeader: (header) => (header ? lucia.readSessionCookie(header) : null),
    tokenFromAuthorizationHeader: (header) => (header ? lucia.readBearerToken(header) : null),
  };
}
