import type { Me, PublicUser } from "@murmur/api-contract";
import { users, type Database, type UserRow } from "@murmur/db";
import { eq, or, sql } from "drizzle-orm";
import { burnPasswordCheck, hashPassword, publicSessionId, verifyPassword, type Auth } from "../auth";
import type { EventBus } from "../bus/event-bus";
import { AppError, uniqueViolation } from "../errors";
import type { RateLimits } from "../rate-limits";
import type { CreditService } from "./credits";

export const publicUserColumns = {
  id: users.id,
  username: users.username,
  isOnline: users.isOnline,
  lastSeen: users.lastSeen,
};

export const toMe = (row: UserRow): Me => ({
  id: row.id,
  username: row.username,
  email: row.email,
  credits: row.credits,
  isOnline: row.isOnline,
  lastSeen: row.lastSeen,
  createdAt: row.createdAt,
});

export type { PublicUser };

const usernameTaken = () => new AppError("CONFLICT", "USERNAME_TAKEN", "That username is taken");
const emailTaken = () => new AppError("CONFLICT", "EMAIL_TAKEN", "An account with that email already exists");
const invalidCredentials = () => new AppError("UNAUTHORIZED", "INVALID_CREDENTIALS", "Wrong username or password");

export function createUserService({
  db,
  auth,
  bus,
  credits,
  rateLimits,
}: {
  db: Database;
  auth: Auth;
  bus: EventBus;
  credits: CreditService;
  rateLimits: RateLimits;
}) {
  async function findByLogin(login: string) {
    const [row] = await db
      .select()
      .from(users)
      .where(or(sql`lower(${users.username}) = lower(${login})`, sql`lower(${users.email}) = lower(${login})`))
      .limit(1);
    return row;
  }

  /** Tells every process to close the WebSockets of sessions that just ended. */
  async function announceEnded(sessionIds: string[]) {
    if (sessionIds.length === 0) return;
    await bus.publish("sessions", "all", { sessionIds });
  }

  async function register(input: { username: string; email: string; password: string }, ip: string) {
    await rateLimits.registrations.consume(ip);
    const passwordHash = await hashPassword(input.password);
    try {
      const row = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(users)
          .values({ username: input.username, email: input.email.toLowerCase(), passwordHash })
          .returning();
        if (!created) throw new Error("insert returned no row");
        await credits.grant(tx, created.id, created.credits, "signup");
        return created;
      });
      const session = await auth.createSession(row.id);
      return { user: toMe(row), token: session.token };
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === null) throw error;
      throw constraint.includes("email") ? emailTaken() : usernameTaken();
    }
  }

  /** Failed logins back off per account (a minute, then an hour) and per address. */
  async function login(input: { username: string; password: string }, ip: string) {
    const keys = { account: input.username.toLowerCase(), ip };
    await rateLimits.logins.assertAllowed(keys);
    const row = await findByLogin(input.username);
    const ok = row
      ? await verifyPassword(row.passwordHash, input.password)
      : (await burnPasswordCheck(input.password), false);
    if (!row || !ok) {
      await rateLimits.logins.recordFailure(keys);
      throw invalidCredentials();
    }
    await rateLimits.logins.forget(keys, ["account"]);
    const session = await auth.createSession(row.id);
    return { user: toMe(row), token: session.token };
  }

  async function me(userId: string): Promise<Me> {
    const [row] = await db.select().from(users).where(eq(users.id, userId));
    if (!row) throw new AppError("UNAUTHORIZED", "NOT_AUTHENTICATED", "Your account no longer exists");
    return toMe(row);
  }

  async function logout(userId: string, token: string) {
    await auth.invalidate(token);
    await announceEnded([publicSessionId(token)]);
  }

  /** A new password ends every other session, here and on every device. */
  async function changePassword(
    user: { id: string; sessionToken: string },
    input: { currentPassword: string; newPassword: string },
  ) {
    const [row] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    if (!row || !(await verifyPassword(row.passwordHash, input.currentPassword))) {
      throw new AppError("FORBIDDEN", "INVALID_CREDENTIALS", "currentPassword: that is not your current password");
    }
    const passwordHash = await hashPassword(input.newPassword);
    await db.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, user.id));
    const ended = await auth.invalidateOthers(user.id, user.sessionToken);
    await announceEnded(ended);
    return { endedSessions: ended.length };
  }

  async function sessions(user: { id: string; sessionToken: string }) {
    const current = publicSessionId(user.sessionToken);
    const live = await auth.list(user.id);
    return live.map((s) => ({ id: s.id, createdAt: s.createdAt, expiresAt: s.expiresAt, current: s.id === current }));
  }

  async function revokeSession(user: { id: string }, sessionId: string) {
    const target = (await auth.list(user.id)).find((s) => s.id === sessionId);
    if (!target) throw new AppError("NOT_FOUND", "SESSION_NOT_FOUND", "No such session");
    await auth.invalidate(target.token);
    await announceEnded([sessionId]);
  }

  return { register, login, me, logout, changePassword, sessions, revokeSession };
}
