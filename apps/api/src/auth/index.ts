import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { sessions, users, type Database } from "@murmur/db";
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
  sessionCookie(token: string, secure: boolean): string;
  blankCookie(secure: boolean): string;
  tokenFromCookieHeader(header: string | undefined): string | null;
  tokenFromAuthorizationHeader(header: string | undefined): string | null;
}

const SESSION_COOKIE = "murmur_session";

declare module "lucia" {
  interface Register {
    Lucia: Lucia<Record<never, never>, { username: string }>;
    DatabaseUserAttributes: { username: string };
  }
}

export function createAuth(db: Database): Auth {
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
      const { session, user } = await lucia.validateSession(token);
      return session ? { userId: session.userId, username: user.username, expiresAt: session.expiresAt } : null;
    },
    invalidate: (token) => lucia.invalidateSession(token),
    sessionCookie: (token, secure) => withSecure(lucia.createSessionCookie(token), secure),
    blankCookie: (secure) => withSecure(lucia.createBlankSessionCookie(), secure),
    tokenFromCookieHeader: (header) => (header ? lucia.readSessionCookie(header) : null),
    tokenFromAuthorizationHeader: (header) => (header ? lucia.readBearerToken(header) : null),
  };
}
