import { createMurmurClient, type MurmurClient } from "@murmur/client";
import { expect, it } from "vitest";
import { clientId, record } from "./helpers/live";
import { procedures as routerProcedures } from "./helpers/procedures";
import { describeEachDb, type TestServer, type TestUser } from "./helpers/server";

const ROLES = ["anonymous", "stranger", "member", "moderator", "owner", "dmPeer", "third"] as const;
type Role = (typeof ROLES)[number];
type Outcome = "allow" | "deny";

interface Fixture {
  server: TestServer;
  users: Record<Exclude<Role, "anonymous">, TestUser>;
  /** A plain member that owners and moderators may kick. */
  extra: TestUser;
  roomId: string;
  roomCode: string;
}

/** Calls one procedure as `actor` on a fresh public room where owner, moderator, member and extra belong. */
type Call = (actor: MurmurClient["api"], fx: Fixture, role: Role) => Promise<unknown>;

const everyone = (outcome: Outcome) => Object.fromEntries(ROLES.map((r) => [r, outcome])) as Record<Role, Outcome>;
const signedIn = { ...everyone("allow"), anonymous: "deny" } as Record<Role, Outcome>;
const members = { ...everyone("deny"), member: "allow", moderator: "allow", owner: "allow" } as Record<Role, Outcome>;
const ownerOnly = { ...everyone("deny"), owner: "allow" } as Record<Role, Outcome>;
const staff = { ...everyone("deny"), owner: "allow", moderator: "allow" } as Record<Role, Outcome>;

/** Someone to DM who is not the actor: DM procedures act on the caller's own conversations. */
const peerOf = (fx: Fixture, role: Role) => (role === "dmPeer" ? fx.users.member : fx.users.dmPeer);

const subscribe = (start: (h: Parameters<Parameters<typeof record>[0]>[0]) => { unsubscribe(): void }) =>
  new Promise<void>((resolve, reject) => {
    const feed = record(start);
    const done = (error?: unknown) => {
      feed.stop();
      if (error) reject(error instanceof Error ? error : new Error(String(error)));
      else resolve();
    };
    // A refusal has 400 ms from the server taking the subscription (or refusing it outright), not
    // from the call: connecting and checking the session first can take longer on a busy machine.
    void feed.started.then(async () => {
      for (let i = 0; i < 40 && feed.errors.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      done(feed.errors[0]);
    });
  });

/**
 * `fresh: "room"` rows change the room (joins, kicks, deletes), so each caller gets a new one;
 * `fresh: "session"` rows end the caller's session, so each call gets its own login.
 */
const MATRIX: Record<string, { expect: Record<Role, Outcome>; call: Call; fresh?: "room" | "session" }> = {
  "auth.register": {
    expect: everyone("allow"),
    call: (api) =>
      api.auth.register.mutate({
        username: `reg_${clientId()}`,
        email: `${clientId()}@example.test`,
        password: "long enough pw",
      }),
  },
  "auth.login": {
    expect: everyone("allow"),
    call: (api, fx) => api.auth.login.mutate({ username: fx.users.third.username, password: fx.users.third.password }),
  },
  "auth.logout": { expect: signedIn, fresh: "session", call: (api) => api.auth.logout.mutate() },
  "auth.me": { expect: signedIn, call: (api) => api.auth.me.query() },
  "auth.sessions": { expect: signedIn, call: (api) => api.auth.sessions.query() },
  "auth.revokeSession": {
    expect: signedIn,
    fresh: "session",
    call: async (api) => {
      const current = (await api.auth.sessions.query()).find((s) => s.current);
      return api.auth.revokeSession.mutate({ sessionId: current?.id ?? "x" });
    },
  },
  "rooms.create": { expect: signedIn, call: (api) => api.rooms.create.mutate({ name: "matrix room" }) },
  "rooms.list": { expect: signedIn, call: (api) => api.rooms.list.query({}) },
  "rooms.mine": { expect: signedIn, call: (api) => api.rooms.mine.query() },
  "rooms.markRead": { expect: members, call: (api, fx) => api.rooms.markRead.mutate({ roomId: fx.roomId, upTo: 1 }) },
  "rooms.onActivity": {
    expect: signedIn,
    call: (api) => subscribe((h) => api.rooms.onActivity.subscribe(undefined, h)),
  },
  "rooms.get": { expect: signedIn, call: (api, fx) => api.rooms.get.query({ roomId: fx.roomId }) },
  "rooms.join": { fresh: "room", expect: signedIn, call: (api, fx) => api.rooms.join.mutate({ roomId: fx.roomId }) },
  "rooms.joinByCode": {
    fresh: "room",
    expect: signedIn,
    call: (api, fx) => api.rooms.joinByCode.mutate({ code: fx.roomCode, password: "" }),
  },
  "rooms.leave": { fresh: "room", expect: members, call: (api, fx) => api.rooms.leave.mutate({ roomId: fx.roomId }) },
  "rooms.members": { expect: members, call: (api, fx) => api.rooms.members.query({ roomId: fx.roomId }) },
  "rooms.update": {
    expect: ownerOnly,
    call: (api, fx) => api.rooms.update.mutate({ roomId: fx.roomId, description: "edited" }),
  },
  "rooms.setRole": {
    fresh: "room",
    expect: ownerOnly,
    call: (api, fx) => api.rooms.setRole.mutate({ roomId: fx.roomId, userId: fx.extra.id, role: "moderator" }),
  },
  "rooms.kick": {
    fresh: "room",
    expect: staff,
    call: (api, fx) => api.rooms.kick.mutate({ roomId: fx.roomId, userId: fx.extra.id }),
  },
  "rooms.delete": {
    fresh: "room",
    expect: ownerOnly,
    call: (api, fx) => api.rooms.delete.mutate({ roomId: fx.roomId }),
  },
  "messages.send": {
    expect: members,
    call: (api, fx) => api.messages.send.mutate({ roomId: fx.roomId, content: "hi", clientMessageId: clientId() }),
  },
  "messages.history": { expect: members, call: (api, fx) => api.messages.history.query({ roomId: fx.roomId }) },
  "messages.onRoom": {
    expect: members,
    call: (api, fx) => subscribe((h) => api.messages.onRoom.subscribe({ roomId: fx.roomId }, h)),
  },
  "dm.send": {
    expect: signedIn,
    call: (api, fx, role) =>
      api.dm.send.mutate({ toUserId: peerOf(fx, role).id, content: "hello", clientMessageId: clientId() }),
  },
  "dm.conversations": { expect: signedIn, call: (api) => api.dm.conversations.query({}) },
  "dm.history": { expect: signedIn, call: (api, fx, role) => api.dm.history.query({ peerId: peerOf(fx, role).id }) },
  "dm.markRead": {
    expect: signedIn,
    call: (api, fx, role) => api.dm.markRead.mutate({ peerId: peerOf(fx, role).id, upTo: 100 }),
  },
  "dm.block": {
    expect: signedIn,
    call: async (api, fx, role) => {
      await api.dm.block.mutate({ userId: peerOf(fx, role).id });
      await api.dm.unblock.mutate({ userId: peerOf(fx, role).id });
    },
  },
  "dm.unblock": { expect: signedIn, call: (api, fx, role) => api.dm.unblock.mutate({ userId: peerOf(fx, role).id }) },
  "dm.blocked": { expect: signedIn, call: (api) => api.dm.blocked.query() },
  "dm.onMessage": { expect: signedIn, call: (api) => subscribe((h) => api.dm.onMessage.subscribe({}, h)) },
  "typing.set": { expect: members, call: (api, fx) => api.typing.set.mutate({ roomId: fx.roomId, isTyping: true }) },
  "typing.on": {
    expect: members,
    call: (api, fx) => subscribe((h) => api.typing.on.subscribe({ roomId: fx.roomId }, h)),
  },
  "presence.on": { expect: signedIn, call: (api) => subscribe((h) => api.presence.on.subscribe(undefined, h)) },
  "credits.balance": { expect: signedIn, call: (api) => api.credits.balance.query() },
  "credits.history": { expect: signedIn, call: (api) => api.credits.history.query({}) },
  "metrics.reportDelivery": { expect: signedIn, call: (api) => api.metrics.reportDelivery.mutate({ samplesMs: [5] }) },
  "push.config": { expect: signedIn, call: (api) => api.push.config.query() },
  "push.subscribe": {
    expect: signedIn,
    call: (api) =>
      api.push.subscribe.mutate({
        endpoint: `http://127.0.0.1:9/push/${clientId()}`,
        keys: { p256dh: "BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", auth: "AAAAAAAAAAAAAAAAAAAAAA" },
      }),
  },
  "push.unsubscribe": {
    expect: signedIn,
    call: (api) => api.push.unsubscribe.mutate({ endpoint: "http://127.0.0.1:9/push/none" }),
  },
  // Last: a password change ends the user's other sessions, which the fixture itself uses.
  "auth.changePassword": {
    expect: signedIn,
    fresh: "session",
    call: async (api, fx, role) => {
      const user = role === "anonymous" ? fx.users.third : fx.users[role];
      await api.auth.changePassword.mutate({ currentPassword: user.password, newPassword: `${user.password}-2` });
      await api.auth.changePassword.mutate({ currentPassword: `${user.password}-2`, newPassword: user.password });
    },
  },
};

const DENIALS = new Set(["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"]);

describeEachDb("the authorization matrix", (server) => {
  it("has a row for every procedure in the router", () => {
    const procedures = Object.keys(routerProcedures).sort();
    expect(procedures.filter((p) => !(p in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((p) => !procedures.includes(p))).toEqual([]);
  });

  it("allows and denies every procedure exactly as the matrix says, for every kind of caller", async () => {
    const s = server();
    const users = {
      stranger: await s.user("stranger"),
      member: await s.user("member"),
      moderator: await s.user("moderator"),
      owner: await s.user("owner"),
      dmPeer: await s.user("peer"),
      third: await s.user("third"),
    };
    const extra = await s.user("extra");
    await users.dmPeer.api.dm.send.mutate({
      toUserId: users.member.id,
      content: "our DM",
      clientMessageId: clientId(),
    });

    const freshFixture = async (): Promise<Fixture> => {
      const room = await users.owner.api.rooms.create.mutate({ name: `matrix ${clientId()}` });
      for (const u of [users.moderator, users.member, extra]) await u.api.rooms.join.mutate({ roomId: room.id });
      await users.owner.api.rooms.setRole.mutate({ roomId: room.id, userId: users.moderator.id, role: "moderator" });
      return { server: s, users, extra, roomId: room.id, roomCode: room.roomCode ?? "" };
    };

    const login = async (role: Exclude<Role, "anonymous">) =>
      (await s.anonymous().api.auth.login.mutate({ username: users[role].username, password: users[role].password }))
        .token;
    const sessions = new Map<Role, string | undefined>();
    for (const role of ROLES) sessions.set(role, role === "anonymous" ? undefined : await login(role));

    const mismatches: string[] = [];
    let shared = await freshFixture();
    for (const [path, row] of Object.entries(MATRIX)) {
      if (!row.fresh) shared = await freshFixture();
      // Callers of one row are independent, so they run side by side.
      await Promise.all(
        ROLES.map(async (role) => {
          const fx = row.fresh === "room" ? await freshFixture() : shared;
          const token = row.fresh === "session" && role !== "anonymous" ? await login(role) : sessions.get(role);
          const client = createMurmurClient({ url: s.url, token });
          let outcome: Outcome;
          try {
            await row.call(client.api, fx, role);
            outcome = "allow";
          } catch (error) {
            const code = (error as { data?: { code?: string } }).data?.code ?? "";
            if (!DENIALS.has(code)) mismatches.push(`${path} as ${role}: unexpected ${code || String(error)}`);
            outcome = "deny";
          } finally {
            await client.close();
          }
          if (outcome !== row.expect[role])
            mismatches.push(`${path} as ${role}: ${outcome}, expected ${row.expect[role]}`);
        }),
      );
    }
    expect(mismatches).toEqual([]);
  }, 240_000);
});
