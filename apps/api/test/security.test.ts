import { createMurmurClient } from "@murmur/client";
import { sessions } from "@murmur/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { clientId, record, watchRoom, sleep, until } from "./helpers/live";
import { refusal } from "./helpers/refusal";
import { DEFAULT_CONNECTION_LIMITS } from "../src/ws-connection";
import { dbModes, RELAXED_LIMITS, startTestServer, type TestServer, type TestUser } from "./helpers/server";

/** Opens a raw tRPC WebSocket, authenticated with a token, and reports how it closes. */
function rawSocket(url: string, options: { token?: string; origin?: string } = {}) {
  const socket = new WebSocket(`${url.replace(/^http/, "ws")}/trpc${options.token ? "?connectionParams=1" : ""}`, {
    headers: options.origin ? { origin: options.origin } : {},
  });
  const messages: string[] = [];
  const opened = new Promise<void>((resolve, reject) => {
    socket.once("open", () => {
      if (options.token) socket.send(JSON.stringify({ method: "connectionParams", data: { token: options.token } }));
      resolve();
    });
    socket.once("unexpected-response", (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    socket.once("error", reject);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  socket.on("message", (data: Buffer) => messages.push(data.toString()));
  const subscribe = (id: number, path: string, input: unknown) =>
    socket.send(JSON.stringify({ id, method: "subscription", params: { path, input: { json: input } } }));
  return { socket, opened, closed, messages, subscribe };
}

for (const mode of dbModes) {
  describe(`security (${mode})`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer(mode, {
        rateLimits: {
          ...RELAXED_LIMITS,
          messagesPerMinute: 5,
          loginFailuresPerAccountShort: 3,
          registrationsPerIpPerHour: 1_000_000,
        },
        connections: { ...DEFAULT_CONNECTION_LIMITS, maxSubscriptionsPerConnection: 3, maxConnectionsPerUser: 3 },
        allowedOrigins: ["https://chat.example.org"],
      });
    });
    afterAll(async () => {
      try {
        server.leaks.assertNoLeaks();
      } finally {
        await server.close();
      }
    });

    it("limits messages per user across rooms and DMs, with the time to wait, and stores nothing over the limit", async () => {
      const alice = await server.user("alice");
      const bob = await server.user("bob");
      const room = await server.room(alice, bob);
      for (let i = 0; i < 3; i++)
        await alice.api.messages.send.mutate({ roomId: room.id, content: `r${i}`, clientMessageId: clientId() });
      for (let i = 0; i < 2; i++)
        await alice.api.dm.send.mutate({ toUserId: bob.id, content: `d${i}`, clientMessageId: clientId() });
      const limited = await alice.api.messages.send
        .mutate({ roomId: room.id, content: "one too many", clientMessageId: clientId() })
        .catch((e: unknown) => e);
      expect(limited).toMatchObject({ data: { code: "TOO_MANY_REQUESTS", appCode: "RATE_LIMITED" } });
      const retryAfterMs = (limited as { data: { retryAfterMs: number } }).data.retryAfterMs;
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(60_000);
      const history = await bob.api.messages.history.query({ roomId: room.id });
      expect(history.items.map((m) => m.content)).not.toContain("one too many");
      await expect(
        bob.api.messages.send.mutate({ roomId: room.id, content: "bob is fine", clientMessageId: clientId() }),
      ).resolves.toMatchObject({ content: "bob is fine" });
    });

    it("backs off logins for an account after repeated failures, even with the right password", async () => {
      const carol = await server.user("carol");
      const other = await server.user("other");
      const anon = server.anonymous().api;
      for (let i = 0; i < 3; i++) {
        expect(
          await refusal(anon.auth.login.mutate({ username: carol.username, password: `wrong ${i}` })),
        ).toMatchObject({
          code: "UNAUTHORIZED",
        });
      }
      const blocked = await refusal(anon.auth.login.mutate({ username: carol.username, password: carol.password }));
      expect(blocked).toMatchObject({ code: "TOO_MANY_REQUESTS", appCode: "RATE_LIMITED" });
      await expect(
        anon.auth.login.mutate({ username: other.username, password: other.password }),
      ).resolves.toMatchObject({
        user: { id: other.id },
      });
    });

    it("refuses a WebSocket upgrade and cookie calls from a foreign origin, and allows configured ones", async () => {
      const foreign = rawSocket(server.url, { origin: "https://evil.example" });
      await expect(foreign.opened).rejects.toThrow(/403/);
      const own = rawSocket(server.url, { origin: server.url });
      await own.opened;
      own.socket.close();
      const configured = rawSocket(server.url, { origin: "https://chat.example.org" });
      await configured.opened;
      configured.socket.close();

      const user = await server.user("cookie");
      const post = (origin: string) =>
        fetch(`${server.url}/trpc/rooms.create`, {
          method: "POST",
          headers: { "content-type": "application/json", cookie: `murmur_session=${user.token}`, origin },
          body: JSON.stringify({ json: { name: "csrf room" } }),
        });
      expect((await post("https://evil.example")).status).toBe(403);
      expect((await post(server.url)).status).toBe(200);
      expect(await user.api.rooms.mine.query()).toHaveLength(1);

      const preflight = (origin: string) =>
        fetch(`${server.url}/trpc/rooms.create`, {
          method: "OPTIONS",
          headers: { origin, "access-control-request-method": "POST" },
        });
      expect((await preflight("https://chat.example.org")).headers.get("access-control-allow-origin")).toBe(
        "https://chat.example.org",
      );
      expect((await preflight("https://evil.example")).headers.get("access-control-allow-origin")).toBeNull();
    });

    it("sends strict security headers", async () => {
      const response = await fetch(`${server.url}/healthz`);
      const csp = response.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    });

    it("closes a session's live sockets within seconds of logout, and refuses the token afterwards", async () => {
      const dave = await server.user("dave");
      const socket = rawSocket(server.url, { token: dave.token });
      await socket.opened;
      socket.subscribe(1, "presence.on", undefined);
      await until(() => socket.messages.some((m) => m.includes('"started"')));
      const otherTab = createMurmurClient({ url: server.url, token: dave.token });
      await otherTab.api.auth.logout.mutate();
      const closed = await Promise.race([socket.closed, sleep(3_000).then(() => null)]);
      expect(closed).toEqual({ code: 4401, reason: "Session ended" });
      expect(await refusal(dave.api.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
      await otherTab.close();
    });

    it("changes the password, ending every other session but keeping this one", async () => {
      const erin = await server.user("erin");
      const second = await server
        .anonymous()
        .api.auth.login.mutate({ username: erin.username, password: erin.password });
      const secondSocket = rawSocket(server.url, { token: second.token });
      await secondSocket.opened;
      secondSocket.subscribe(1, "presence.on", undefined);
      await until(() => secondSocket.messages.some((m) => m.includes('"started"')));

      const listed = await erin.api.auth.sessions.query();
      expect(listed).toHaveLength(2);
      expect(listed.filter((s) => s.current)).toHaveLength(1);
      expect(JSON.stringify(listed)).not.toContain(second.token);
      expect(JSON.stringify(listed)).not.toContain(erin.token);

      expect(
        await refusal(erin.api.auth.changePassword.mutate({ currentPassword: "nope", newPassword: "a brand new pw" })),
      ).toMatchObject({ code: "FORBIDDEN" });
      await expect(
        erin.api.auth.changePassword.mutate({ currentPassword: erin.password, newPassword: "a brand new pw" }),
      ).resolves.toEqual({ endedSessions: 1 });
      expect((await Promise.race([secondSocket.closed, sleep(3_000).then(() => null)]))?.code).toBe(4401);
      await expect(erin.api.auth.me.query()).resolves.toMatchObject({ id: erin.id });
      const anon = server.anonymous().api;
      expect(await refusal(anon.auth.login.mutate({ username: erin.username, password: erin.password }))).toMatchObject(
        {
          code: "UNAUTHORIZED",
        },
      );
      await expect(
        anon.auth.login.mutate({ username: erin.username, password: "a brand new pw" }),
      ).resolves.toBeTruthy();
    });

    it("revokes one session by its public id", async () => {
      const fay = await server.user("fay");
      const phone = await server.anonymous().api.auth.login.mutate({ username: fay.username, password: fay.password });
      const phoneSession = (await fay.api.auth.sessions.query()).find((s) => !s.current);
      expect(phoneSession).toBeDefined();
      await fay.api.auth.revokeSession.mutate({ sessionId: phoneSession?.id ?? "" });
      const phoneClient = createMurmurClient({ url: server.url, token: phone.token });
      expect(await refusal(phoneClient.api.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
      expect(await refusal(fay.api.auth.revokeSession.mutate({ sessionId: "not-a-session" }))).toMatchObject({
        code: "NOT_FOUND",
      });
      await phoneClient.close();
    });

    it("refuses expired sessions over HTTP and WebSocket", async () => {
      const gus = await server.user("gus");
      await server.database.db
        .update(sessions)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(sessions.id, gus.token));
      const fresh = createMurmurClient({ url: server.url, token: gus.token });
      expect(await refusal(fresh.api.auth.me.query())).toMatchObject({ code: "UNAUTHORIZED" });
      const feed = record((h) => fresh.api.presence.on.subscribe(undefined, h));
      await until(() => feed.errors.length === 1);
      expect(feed.errors[0]).toMatchObject({ data: { code: "UNAUTHORIZED" } });
      await fresh.close();
    });

    it("closes only the offending connection on an oversized or malformed frame", async () => {
      const hal = await server.user("hal");
      const control = await server.user("control");
      const room = await server.room(control);
      const controlFeed = watchRoom(control.client, { roomId: room.id });
      await controlFeed.started;

      const big = rawSocket(server.url, { token: hal.token });
      await big.opened;
      big.socket.send("x".repeat(100 * 1024));
      expect((await big.closed).code).toBe(1009);

      const garbage = rawSocket(server.url, { token: hal.token });
      await garbage.opened;
      garbage.socket.send("{not json");
      expect((await garbage.closed).code).toBe(1007);

      const scalar = rawSocket(server.url, { token: hal.token });
      await scalar.opened;
      scalar.socket.send("42");
      expect((await scalar.closed).code).toBe(1007);

      const binary = rawSocket(server.url, { token: hal.token });
      await binary.opened;
      binary.socket.send(Buffer.from('{"id":1,"method":"query","params":{"path":"auth.me"}}'), { binary: true });
      expect(await binary.closed).toMatchObject({ code: 1007 });

      await control.api.messages.send.mutate({ roomId: room.id, content: "still here", clientMessageId: clientId() });
      await until(() => controlFeed.items.length === 1);
      expect(controlFeed.errors).toEqual([]);
    });

    it("caps subscriptions per connection and connections per user", async () => {
      const ivy: TestUser = await server.user("ivy");
      const feeds = Array.from({ length: 4 }, () => record((h) => ivy.client.api.presence.on.subscribe(undefined, h)));
      await until(() => feeds.filter((f) => f.errors.length > 0).length === 1);
      expect(feeds.find((f) => f.errors.length > 0)?.errors[0]).toMatchObject({ data: { code: "TOO_MANY_REQUESTS" } });
      for (const f of feeds) f.stop();

      const sockets = Array.from({ length: 4 }, () => rawSocket(server.url, { token: ivy.token }));
      await Promise.all(sockets.map((s) => s.opened));
      const closedOne = await Promise.race(sockets.map((s) => s.closed));
      expect(closedOne.code).toBe(4429);
      for (const s of sockets) s.socket.close();
    });
  });
}
