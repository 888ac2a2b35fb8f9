import type { PushPayload } from "@murmur/api-contract";
import { pushSubscriptions, roomMembers, serverSettings, users, type Database } from "@murmur/db";
import { and, eq, inArray, sql } from "drizzle-orm";
import webpush from "web-push";
import type { Logger } from "../logger";

const VAPID_KEY = "vapid";
const MENTION = /(?:^|[^A-Za-z0-9_])@([A-Za-z0-9_]{3,32})\b/g;

/** The usernames a message mentions as @username, lower-cased, without repeats. */
export function mentionedUsernames(content: string): string[] {
  return [...new Set([...content.matchAll(MENTION)].map((m) => (m[1] ?? "").toLowerCase()))];
}

/**
 * Web Push for people who are offline when a DM or a mention arrives. The VAPID keys are made on
 * first start and kept in the database, so every process (and every restart) signs with the same ones.
 */
export function createPushService({ db, log, subject }: { db: Database; log: Logger; subject: string }) {
  let keys: Promise<{ publicKey: string; privateKey: string }> | undefined;

  function vapidKeys() {
    keys ??= (async () => {
      await db
        .insert(serverSettings)
        .values({ key: VAPID_KEY, value: JSON.stringify(webpush.generateVAPIDKeys()) })
        .onConflictDoNothing();
      const [row] = await db.select().from(serverSettings).where(eq(serverSettings.key, VAPID_KEY));
      if (!row) throw new Error("VAPID keys missing");
      return JSON.parse(row.value) as { publicKey: string; privateKey: string };
    })();
    return keys;
  }

  async function subscribe(userId: string, input: { endpoint: string; keys: { p256dh: string; auth: string } }) {
    await db
      .insert(pushSubscriptions)
      .values({ userId, endpoint: input.endpoint, p256dh: input.keys.p256dh, auth: input.keys.auth })
      .onConflictDoUpdate({
        target: pushSubscriptions.endpoint,
        set: { userId, p256dh: input.keys.p256dh, auth: input.keys.auth },
      });
  }

  async function unsubscribe(userId: string, endpoint: string) {
    await db
      .delete(pushSubscriptions)
      .where(and(eq(pushSubscriptions.userId, userId), eq(pushSubscriptions.endpoint, endpoint)));
  }

  /** Sends to every browser of every offline user given; forgets endpoints the push service says are gone. */
  async function notifyOffline(userIds: string[], payload: PushPayload) {
    if (userIds.length === 0) return;
    const targets = await db
      .select({
        id: pushSubscriptions.id,
        endpoint: pushSubscriptions.endpoint,
        p256dh: pushSubscriptions.p256dh,
        auth: pushSubscriptions.auth,
      })
      .from(pushSubscriptions)
      .innerJoin(users, eq(users.id, pushSubscriptions.userId))
      .where(and(inArray(pushSubscriptions.userId, userIds), eq(users.isOnline, false)));
    if (targets.length === 0) return;
    const vapid = await vapidKeys();
    await Promise.all(
      targets.map(async (target) => {
        // The request is built (encrypted and signed) by web-push and sent with fetch, so a plain-http
        // push service on a LAN works as well as the browsers' https ones.
        const request = webpush.generateRequestDetails(
          { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
          JSON.stringify(payload),
          { vapidDetails: { subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey }, TTL: 3600 },
        );
        try {
          const response = await fetch(request.endpoint, {
            method: request.method,
            headers: request.headers as Record<string, string>,
            body: request.body ? new Uint8Array(request.body) : null,
            signal: AbortSignal.timeout(10_000),
          });
          if (response.status === 404 || response.status === 410) {
            await db.delete(pushSubscriptions).where(eq(pushSubscriptions.id, target.id));
          } else if (!response.ok) {
            log.warn({ status: response.status }, "push service refused a notification");
          }
        } catch (err) {
          log.warn({ err }, "push delivery failed");
        }
      }),
    );
  }

  /** Offline members of a room mentioned in a message (never the sender). */
  async function mentionedOffline(roomId: string, senderId: string, content: string): Promise<string[]> {
    const names = mentionedUsernames(content);
    if (names.length === 0) return [];
    const rows = await db
      .select({ id: users.id })
      .from(roomMembers)
      .innerJoin(users, eq(users.id, roomMembers.userId))
      .where(
        and(eq(roomMembers.roomId, roomId), eq(users.isOnline, false), inArray(sql`lower(${users.username})`, names)),
      );
    return rows.map((r) => r.id).filter((id) => id !== senderId);
  }

  return {
    publicKey: async () => (await vapidKeys()).publicKey,
    subscribe,
    unsubscribe,
    notifyOffline,
    mentionedOffline,
  };
}

export type PushService = ReturnType<typeof createPushService>;
