import {
  chatRooms,
  creditLedger,
  dmConversations,
  messages,
  roomMembers,
  sessions,
  userBlocks,
  users,
} from "@murmur/db";
import fc from "fast-check";
import { expect, it } from "vitest";
import WebSocket from "ws";
import { clientId } from "./helpers/live";
import { procedures } from "./helpers/procedures";
import { describeEachDb, type TestServer } from "./helpers/server";

const FIELDS = [
  "roomId",
  "userId",
  "peerId",
  "content",
  "clientMessageId",
  "name",
  "description",
  "category",
  "cursor",
  "limit",
  "password",
  "code",
  "username",
  "email",
  "upTo",
  "isTyping",
  "toUserId",
  "toUsername",
  "lastEventId",
  "sessionId",
  "role",
  "q",
  "memberLimit",
  "isPrivate",
  "isSuperSecret",
  "currentPassword",
  "newPassword",
];

/** Values from plausible to hostile: right types, wrong types, huge, nested, ids that exist. */
const value = (knownIds: string[]) =>
  fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: "binary", maxLength: 20 }),
    fc.constant("x".repeat(5_000)),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.uuid(),
    fc.constantFrom(...knownIds),
    fc.constantFrom("1", "0", "-1", "999999999999999999999", "<script>alert(1)</script>", "' OR 1=1 --", "%_\\"),
    fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
    fc.object({ maxDepth: 1 }),
  );

const inputs = (knownIds: string[]) =>
  fc.oneof(fc.anything({ maxDepth: 2 }), fc.dictionary(fc.constantFrom(...FIELDS), value(knownIds), { maxKeys: 6 }));

async function snapshot(server: TestServer) {
  const db = server.database.db;
  return JSON.stringify(
    await Promise.all(
      [users, sessions, chatRooms, roomMembers, messages, creditLedger, userBlocks, dmConversations].map((t) =>
        db.$count(t),
      ),
    ),
  );
}

describeEachDb("fuzzing every procedure", (server) => {
  it("answers any input over HTTP with a typed result or error, stays up, and changes nothing when it refuses", async () => {
    const s = server();
    const owner = await s.user("fuzzowner");
    const fuzzer = await s.user("fuzzer");
    const room = await s.room(owner, fuzzer);
    await owner.api.messages.send.mutate({ roomId: room.id, content: "seed", clientMessageId: clientId() });
    const knownIds = [room.id, owner.id, fuzzer.id, room.roomCode ?? "ABCDEFGH"];
    const problems: string[] = [];

    for (const [path, type] of Object.entries(procedures)) {
      if (type === "subscription") continue;
      // Logging out would end the fuzzer's own session; it is fuzzed without one.
      const token = path === "auth.logout" ? null : fuzzer.token;
      await fc.assert(
        fc.asyncProperty(inputs(knownIds), async (input) => {
          const before = await snapshot(s);
          const body = JSON.stringify({ json: input });
          const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
          const response =
            type === "query"
              ? await fetch(`${s.url}/trpc/${path}?input=${encodeURIComponent(body)}`, { headers })
              : await fetch(`${s.url}/trpc/${path}`, {
                  method: "POST",
                  headers: { ...headers, "content-type": "application/json" },
                  body,
                });
          const reply = (await response.json()) as { error?: { json?: { data?: { code?: string } } } };
          const code = reply.error?.json?.data?.code;
          if (response.status >= 500 || code === "INTERNAL_SERVER_ERROR") {
            problems.push(`${path} ${response.status} ${code} for ${body.slice(0, 200)}`);
          }
          if (reply.error && (await snapshot(s)) !== before)
            problems.push(`${path} changed data while refusing ${body.slice(0, 200)}`);
        }),
        { numRuns: 15, seed: 20261128 },
      );
    }
    expect(problems).toEqual([]);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    await expect(owner.api.auth.me.query()).resolves.toMatchObject({ id: owner.id });
  }, 180_000);

  it("answers any subscription request over WebSocket with a typed error or a stream, and serves others meanwhile", async () => {
    const s = server();
    const user = await s.user("wsfuzz");
    const room = await s.room(user);
    const subscriptions = Object.keys(procedures).filter((path) => procedures[path] === "subscription");
    const socket = new WebSocket(`${s.url.replace("http", "ws")}/trpc?connectionParams=1`);
    const replies: { id?: number; error?: { data?: { code?: string } }; result?: unknown }[] = [];
    await new Promise<void>((resolve) => socket.once("open", () => resolve()));
    socket.send(JSON.stringify({ method: "connectionParams", data: { token: user.token } }));
    socket.on("message", (data: Buffer) => replies.push(JSON.parse(data.toString()) as (typeof replies)[number]));

    let id = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...subscriptions), inputs([room.id, user.id]), async (path, input) => {
        const requestId = ++id;
        socket.send(
          JSON.stringify({ id: requestId, method: "subscription", params: { path, input: { json: input } } }),
        );
        await new Promise((r) => setTimeout(r, 5));
        socket.send(JSON.stringify({ id: requestId, method: "subscription.stop" }));
      }),
      { numRuns: 60, seed: 20261128 },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(socket.readyState).toBe(WebSocket.OPEN);
    const internal = replies.filter((r) => r.error?.data?.code === "INTERNAL_SERVER_ERROR");
    expect(internal).toEqual([]);
    expect(replies.length).toBeGreaterThan(0);
    socket.close();
    await expect(user.api.rooms.mine.query()).resolves.toHaveLength(1);
  }, 60_000);
});
