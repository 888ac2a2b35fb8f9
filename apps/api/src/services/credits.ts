import type { CreditReason } from "@murmur/api-contract";
import { creditLedger, users, type Database, type Transaction } from "@murmur/db";
import { and, desc, eq, gte, lt, or, sql, type SQL } from "drizzle-orm";
import { AppError } from "../errors";
import { decodeKeysetCursor, encodeKeysetCursor } from "./cursor";

export interface Prices {
  privateRoom: number;
  superSecretRoom: number;
}

const PAGE_SIZE = 50;

export type CreditService = ReturnType<typeof createCreditService>;

/** Credits change only here, and every change writes its ledger row in the same transaction. */
export function createCreditService({ db, prices }: { db: Database; prices: Prices }) {
  async function grant(tx: Transaction, userId: string, amount: number, reason: CreditReason) {
    await tx.insert(creditLedger).values({ userId, delta: amount, reason });
  }

  /**
   * Takes `amount` credits or refuses: the conditional update holds the user's row lock, so parallel
   * purchases are paid one at a time and the balance never goes below zero.
   */
  async function spend(
    tx: Transaction,
    userId: string,
    purchase: { amount: number; reason: CreditReason; reference: string; what: string },
  ) {
    if (purchase.amount <= 0) return;
    const [paid] = await tx
      .update(users)
      .set({ credits: sql`${users.credits} - ${purchase.amount}` })
      .where(and(eq(users.id, userId), gte(users.credits, purchase.amount)))
      .returning({ credits: users.credits });
    if (!paid) {
      const [row] = await tx.select({ credits: users.credits }).from(users).where(eq(users.id, userId));
      throw new AppError(
        "PAYMENT_REQUIRED",
        "INSUFFICIENT_CREDITS",
        `${purchase.what} costs ${purchase.amount} credits; you have ${row?.credits ?? 0}`,
      );
    }
    await tx.insert(creditLedger).values({
      userId,
      delta: -purchase.amount,
      reason: purchase.reason,
      reference: purchase.reference,
    });
  }

  async function balance(userId: string) {
    const [row] = await db.select({ credits: users.credits }).from(users).where(eq(users.id, userId));
    return { balance: row?.credits ?? 0, prices };
  }

  async function history(userId: string, input: { cursor?: string | null | undefined }) {
    const filters: (SQL | undefined)[] = [eq(creditLedger.userId, userId)];
    if (input.cursor) {
      const { at, id } = decodeKeysetCursor(input.cursor);
      filters.push(or(lt(creditLedger.createdAt, at), and(eq(creditLedger.createdAt, at), lt(creditLedger.id, id))));
    }
    const rows = await db
      .select({
        id: creditLedger.id,
        delta: creditLedger.delta,
        reason: creditLedger.reason,
        reference: creditLedger.reference,
        createdAt: creditLedger.createdAt,
      })
      .from(creditLedger)
      .where(and(...filters))
      .orderBy(desc(creditLedger.createdAt), desc(creditLedger.id))
      .limit(PAGE_SIZE + 1);
    const items = rows.slice(0, PAGE_SIZE);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > PAGE_SIZE && last ? encodeKeysetCursor(last.createdAt, last.id) : null };
  }

  return { grant, spend, balance, history, prices };
}
