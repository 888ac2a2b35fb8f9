import { randomBytes, randomUUID } from "node:crypto";
import type { Sql } from "./admin";

/**
 * Users, sessions and memberships written straight into Murmur's tables: registering through the
 * API costs an Argon2 hash per user, which would spend minutes of a 2-core machine on setup.
 * The server validates these sessions exactly like ones it issued (lucia looks the id up).
 */

export interface SeededUser {
  id: string;
  token: string;
}

export interface SeededClient extends SeededUser {
  roomId: string;
}

const BATCH = 2_000;
const ROOM_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

async function insertInBatches<T extends Record<string, unknown>>(sql: Sql, table: string, rows: T[]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await sql`insert into ${sql(table)} ${sql(batch as Record<string, unknown>[])}`;
  }
}

export async function seedUsers(sql: Sql, count: number): Promise<SeededUser[]> {
  const tag = randomBytes(3).toString("hex");
  // What a fresh login gets (30 days): a shorter expiry would make every validation extend the session with a write.
  const expiresAt = new Date(Date.now() + 30 * 24 * 3600 * 1000);
  const users = Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    username: `b${tag}_${i}`,
    email: `b${tag}_${i}@bench.invalid`,
    // Never logged into: the sessions below are the only way in.
    password_hash: "bench-no-password",
    credits: 0,
  }));
  await insertInBatches(sql, "users", users);
  const seeded = users.map((u) => ({ id: u.id, token: randomBytes(20).toString("hex") }));
  await insertInBatches(
    sql,
    "sessions",
    seeded.map((u) => ({ id: u.token, user_id: u.id, expires_at: expiresAt })),
  );
  return seeded;
}

function roomCode(): string {
  let code = "";
  for (const byte of randomBytes(8)) code += ROOM_CODE_ALPHABET[byte % ROOM_CODE_ALPHABET.length];
  return code;
}

/** Puts consecutive users into rooms of `roomSize`; returns one client per user with its room. */
export async function seedRooms(sql: Sql, users: SeededUser[], roomSize: number): Promise<SeededClient[]> {
  const rooms: Record<string, unknown>[] = [];
  const members: Record<string, unknown>[] = [];
  const clients: SeededClient[] = [];
  for (let start = 0; start < users.length; start += roomSize) {
    const group = users.slice(start, start + roomSize);
    const roomId = randomUUID();
    rooms.push({
      id: roomId,
      name: `bench room ${rooms.length}`,
      creator_id: group[0]?.id ?? null,
      room_code: roomCode(),
      member_limit: Math.max(2, Math.min(1_000, roomSize)),
      member_count: group.length,
    });
    group.forEach((user, i) => {
      members.push({ room_id: roomId, user_id: user.id, role: i === 0 ? "owner" : "member" });
      clients.push({ ...user, roomId });
    });
  }
  await insertInBatches(sql, "chat_rooms", rooms);
  await insertInBatches(sql, "room_members", members);
  return clients;
}

/** Stores `count` messages in one room in a single statement, moves the room's sequence past them, and settles the table. */
export async function seedHistory(sql: Sql, roomId: string, senderId: string, count: number): Promise<void> {
  await sql`
    insert into messages (room_id, sender_id, seq, content, created_at)
    select ${roomId}::uuid, ${senderId}::uuid, g, 'seeded history message number ' || g,
           now() - make_interval(secs => ${count}::int - g)
    from generate_series(1, ${count}::int) g`;
  await sql`update chat_rooms set last_seq = ${count}, last_activity_at = now() where id = ${roomId}`;
  // A room with a long past has long been vacuumed and written out; without this, the seed's own
  // hint-bit writes and checkpoint land in the middle of the reads being measured.
  await sql`vacuum analyze messages`;
  // Needs superuser or pg_checkpoint; without it the reads just share the disk with the write-back.
  await sql`checkpoint`.catch(() => undefined);
}
