import type { Message } from "@murmur/api-contract";
import { chatRooms, messages, roomMembers, users, type Database } from "@murmur/db";
import { sql } from "drizzle-orm";
import { appendedMessage, rowsOf, type AppendedRow, type SendEntry } from "./room-log";

/** What became of one send in a batch; "retry-alone" sends go through the one-message path. */
export type BatchOutcome = { kind: "stored"; message: Message } | { kind: "not-member" } | { kind: "retry-alone" };

type BatchRow = AppendedRow & { ord: number; member: boolean };

/** Most sends one statement may carry; more wait for the next. */
const MAX_BATCH = 256;

/**
 * Group commit: sends that arrive while earlier ones are being written are stored together, in one
 * statement and so one commit, instead of one commit each. Nothing is acknowledged before its
 * batch has committed. A quiet server writes each send as soon as the current turn of the event loop
 * ends (a batch of one); under load the batches grow by themselves, up to MAX_BATCH, with at most
 * `concurrency` statements in flight, each on its own rooms.
 */
export class SendBatcher {
  /** One queue per lane; a room always goes to the same lane, and a lane has one statement in flight. */
  private readonly lanes: Lane[];
  private scheduled = false;

  constructor(
    private readonly db: Database,
    concurrency: number,
  ) {
    this.lanes = Array.from({ length: Math.max(1, concurrency) }, () => ({ queue: [], busy: false }));
  }

  submit(entry: SendEntry): Promise<BatchOutcome> {
    return new Promise((resolve) => {
      this.laneOf(entry.roomId).queue.push({ entry, settle: resolve });
      this.schedule();
    });
  }

  /**
   * Concurrent statements that touch the same rooms wait for each other's row locks, and so for
   * each other's commits: under load every statement took nearly every room and they ran one after
   * another. Lanes by room keep the statements in flight on disjoint rooms.
   */
  private laneOf(roomId: string): Lane {
    const lanes = this.lanes;
    // A room id is a UUID; its last hex digits are as good as a hash.
    const lane = lanes[Number.parseInt(roomId.slice(-6), 16) % lanes.length];
    return lane ?? (lanes[0] as Lane);
  }

  /**
   * Starts batches after the sends that arrived in this turn of the event loop have all been
   * queued: sockets are read one callback at a time, and with the embedded database a statement
   * runs synchronously, so starting at once would make every batch a batch of one.
   */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      for (const lane of this.lanes) this.pump(lane);
    });
  }

  private pump(lane: Lane): void {
    if (lane.busy || lane.queue.length === 0) return;
    const batch = lane.queue.splice(0, MAX_BATCH);
    lane.busy = true;
    const outcomes = storeBatch(
      this.db,
      batch.map((b) => b.entry),
    );
    batch.forEach((b, i) => b.settle(outcomes.then((all) => all[i] ?? { kind: "retry-alone" })));
    void outcomes
      .catch(() => undefined)
      .finally(() => {
        lane.busy = false;
        if (lane.queue.length > 0) this.schedule();
      });
  }
}

interface Lane {
  queue: { entry: SendEntry; settle: (outcome: Promise<BatchOutcome>) => void }[];
  busy: boolean;
}

/**
 * One statement for many sends: membership checks, each room's numbers taken under its row lock
 * (rooms locked in id order, the lock an UPDATE takes, so batches do not deadlock over rooms), the
 * inserts, and read marks.
 * The sends arrive as one array per column, unnested: the planner sizes an array parameter (10 rows
 * in a prepared statement's generic plan, the real count otherwise) and so reaches every table
 * through its index. A JSON recordset, always taken for 100 rows, made it scan every membership
 * for each batch, a cost that grew with the database.
 * A send whose clientMessageId is already stored, or repeated within the batch, is left for the
 * one-message path, which knows what a repeat means; if the statement fails for any reason (a
 * concurrent duplicate, a deadlock, one message the database refuses), it fails as a whole, numbers
 * included, and every send in it goes that way.
 */
async function storeBatch(db: Database, entries: SendEntry[]): Promise<BatchOutcome[]> {
  const seen = new Set<string>();
  const input = entries.flatMap((e, ord) => {
    const key = `${e.senderId}\n${e.clientMessageId}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ ord, ...e }];
  });
  const column = <K extends keyof (typeof input)[number]>(key: K) => sql.param(input.map((e) => e[key]));
  let rows: BatchRow[];
  try {
    const result = await db.execute<BatchRow>(sql`
      WITH input AS (
        SELECT * FROM unnest(
          ${column("ord")}::int[], ${column("roomId")}::uuid[], ${column("senderId")}::uuid[],
          ${column("content")}::text[], ${column("clientMessageId")}::text[]
        ) AS t(ord, room_id, sender_id, content, client_message_id)
      ), member AS (
        SELECT i.ord, u.username FROM input i
        JOIN ${roomMembers} m ON m.room_id = i.room_id AND m.user_id = i.sender_id
        JOIN ${users} u ON u.id = i.sender_id
      ), fresh AS (
        SELECT i.* FROM input i JOIN member USING (ord)
        WHERE NOT EXISTS (
          SELECT 1 FROM ${messages} x WHERE x.sender_id = i.sender_id AND x.client_message_id = i.client_message_id
        )
      ), counts AS (
        SELECT room_id, count(*) AS n FROM fresh GROUP BY room_id
      ), locked AS (
        SELECT r.id FROM ${chatRooms} r WHERE r.id IN (SELECT room_id FROM counts) ORDER BY r.id FOR NO KEY UPDATE
      ), bumped AS (
        UPDATE ${chatRooms} r SET last_seq = r.last_seq + c.n, last_activity_at = now()
        FROM counts c WHERE r.id = c.room_id AND r.id IN (SELECT id FROM locked)
        RETURNING r.id, r.last_seq - c.n AS base
      ), numbered AS (
        SELECT f.*, b.base + row_number() OVER (PARTITION BY f.room_id ORDER BY f.ord) AS seq
        FROM fresh f JOIN bumped b ON b.id = f.room_id
      ), inserted AS (
        INSERT INTO ${messages} (room_id, sender_id, seq, content, message_type, client_message_id)
        SELECT room_id, sender_id, seq, content, 'text', client_message_id FROM numbered ORDER BY ord
        RETURNING id, sender_id, seq, content, message_type, client_message_id, created_at
      ), marked AS (
        UPDATE ${roomMembers} m SET last_read_seq = x.seq
        FROM (SELECT n.room_id, n.sender_id, max(n.seq) AS seq FROM numbered n GROUP BY n.room_id, n.sender_id) x
        WHERE m.room_id = x.room_id AND m.user_id = x.sender_id
      )
      SELECT i.ord, member.ord IS NOT NULL AS member, member.username, ins.*
      FROM input i
      LEFT JOIN member USING (ord)
      LEFT JOIN inserted ins ON ins.sender_id = i.sender_id AND ins.client_message_id = i.client_message_id`);
    rows = rowsOf<BatchRow>(result);
  } catch {
    // A concurrent duplicate, a deadlock with a join or leave, or one send the database refuses:
    // each send is tried again on its own, so one cannot fail the others (and a real outage
    // fails each of them there, with its own error).
    return entries.map(() => ({ kind: "retry-alone" }));
  }
  const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
  return entries.map((entry, ord): BatchOutcome => {
    const row = byOrd.get(ord);
    if (!row) return { kind: "retry-alone" };
    if (!row.member) return { kind: "not-member" };
    const message = appendedMessage(row, entry);
    return message ? { kind: "stored", message } : { kind: "retry-alone" };
  });
}
