import type { Me, PublicUser } from "@murmur/api-contract";
import { users, type Database, type UserRow } from "@murmur/db";
import { eq, or, sql } from "drizzle-orm";
import { burnPasswordCheck, hashPassword, verifyPassword, type Auth } from "../auth";
import { AppError, uniqueViolation } from "../errors";
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

export function createUserService({ db, auth, credits }: { db: Database; auth: Auth; credits: CreditService }) {
  async function findByLogin(login: string) {
    const [row] = await db
      .select()
      .from(users)
      .where(or(sql`lower(${users.username}) = lower(${login})`, sql`lower(${users.email}) = lower(${login})`))
      .limit(1);
    return row;
  }

  return {
    async register(input: { username: string; email: string; password: string }) {
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
    },

    async login(input: { username: string; password: string }) {
      const row = await findByLogin(input.username);
      if (!row) {
        await burnPasswordCheck(input.password);
        throw invalidCredentials();
      }
      if (!(await verifyPassword(row.passwordHash, input.password))) throw invalidCredentials();
      const session = await auth.createSession(row.id);
      return { user: toMe(row), token: session.token };
    },

    async me(userId: string): Promise<Me> {
      const [row] = await db.select().from(users).where(eq(users.id, userId));
      if (!row) throw new AppError("UNAUTHORIZED", "NOT_AUTHENTICATED", "Your account no longer exists");
      return toMe(row);
    },
  };
}
