import type { Message } from "@murmur/api-contract";
import { createMurmurClient } from "@murmur/client";
import { expect, it } from "vitest";
import { clientId, record, sleep, until, watchRoom } from "./helpers/live";
import { refusal } from "./helpers/refusal";
import { describeEachDb, type TestUser } from "./helpers/server";

describeEachDb("private and super-secret rooms, roles and credits", (server) => {
  const secretRoom = (owner: TestUser) =>
    owner.api.rooms.create.mutate({ name: `secret ${clientId()}`, isSuperSecret: true, password: "open sesame" });

  it("never reveals a super-secret room to outsiders: not listed, searched, fetched, or readable by id", async () => {
    const owner = await server().user("owner");
    const outsider = await server().user("outsider");
    const room = await secretRoom(owner);
    expect(room.isSuperSecret).toBe(true);
    expect(room.roomCode).toMatch(/^[A-HJKMNP-Z2-9]{8}$/);

    const listed = await outsider.api.rooms.list.query({ q: room.name });
    expect(listed.items).toEqual([]);
    const everything = await outsider.api.rooms.list.query({});
    expect(everything.items.map((r) => r.id)).not.toContain(room.id);

    const missing = "00000000-0000-4000-8000-000000000000";
    const asMissing = await refusal(outsider.api.rooms.get.query({ roomId: missing }));
    expect(await refusal(outsider.api.rooms.get.query({ roomId: room.id }))).toEqual(asMissing);
    expect(await refusal(outsider.api.rooms.join.mutate({ roomId: room.id, password: "open sesame" }))).toEqual(
      await refusal(outsider.api.rooms.join.mutate({ roomId: missing, password: "open sesame" })),
    );
    expect(await refusal(outsider.api.rooms.members.query({ roomId: room.id }))).toEqual(
      await refusal(outsider.api.rooms.members.query({ roomId: missing })),
    );
    expect(await refusal(outsider.api.messages.history.query({ roomId: room.id }))).toEqual(
      await refusal(outsider.api.messages.history.query({ roomId: missing })),
    );
    const feed = watchRoom(outsider.client, { roomId: room.id });
    await until(() => feed.errors.length === 1);
    expect(feed.messages).toEqual([]);
    expect(JSON.stringify([listed, everything])).not.toContain(room.roomCode ?? "none");
  });

  it("joins a super-secret room only by code and password, with one error for a wrong code or password", async () => {
    const owner = await server().user("owner");
    const guest = await server().user("guest");
    const room = await secretRoom(owner);
    const code = room.roomCode ?? "";
    const wrongPassword = await refusal(guest.api.rooms.joinByCode.mutate({ code, password: "not it" }));
    const wrongCode = await refusal(guest.api.rooms.joinByCode.mutate({ code: "ABCDEFGH", password: "open sesame" }));
    expect(wrongPassword).toEqual({
      code: "FORBIDDEN",
      appCode: "BAD_CODE_OR_PASSWORD",
      message: wrongPassword.message,
    });
    expect(wrongCode).toEqual(wrongPassword);

    const joined = await guest.api.rooms.joinByCode.mutate({ code: code.toLowerCase(), password: "open sesame" });
    expect(joined).toMatchObject({ id: room.id, myRole: "member", memberCount: 2, roomCode: code });
    expect((await guest.api.rooms.mine.query()).map((r) => r.id)).toContain(room.id);
  });

  it("lists private rooms but lets in only those with the password", async () => {
    const owner = await server().user("owner");
    const guest = await server().user("guest");
    const room = await owner.api.rooms.create.mutate({
      name: `private ${clientId()}`,
      isPrivate: true,
      password: "let me in",
    });
    const listed = (await guest.api.rooms.list.query({ q: room.name })).items;
    expect(listed.map((r) => [r.id, r.isPrivate, r.memberCount, r.roomCode])).toEqual([[room.id, true, 1, null]]);
    expect(await refusal(guest.api.rooms.join.mutate({ roomId: room.id }))).toMatchObject({
      code: "FORBIDDEN",
      appCode: "WRONG_PASSWORD",
    });
    expect(await refusal(guest.api.rooms.join.mutate({ roomId: room.id, password: "nope" }))).toMatchObject({
      appCode: "WRONG_PASSWORD",
    });
    await expect(guest.api.rooms.join.mutate({ roomId: room.id, password: "let me in" })).resolves.toMatchObject({
      myRole: "member",
    });
  });

  it("refuses a private room without a password, and member limits outside 2–1000", async () => {
    const owner = await server().user("owner");
    expect(await refusal(owner.api.rooms.create.mutate({ name: "no pw", isPrivate: true }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await refusal(owner.api.rooms.create.mutate({ name: "tiny", memberLimit: 1 }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect(await refusal(owner.api.rooms.create.mutate({ name: "huge", memberLimit: 1001 }))).toMatchObject({
      code: "BAD_REQUEST",
    });
    expect((await owner.api.credits.balance.query()).balance).toBe(100);
  });

  it("rate-limits wrong room passwords per user with TOO_MANY_REQUESTS and a retry time", async () => {
    const owner = await server().user("owner");
    const guesser = await server().user("guesser");
    const room = await secretRoom(owner);
    for (let i = 0; i < 10; i++) {
      expect(
        await refusal(guesser.api.rooms.joinByCode.mutate({ code: room.roomCode ?? "", password: `guess ${i}` })),
      ).toMatchObject({ appCode: "BAD_CODE_OR_PASSWORD" });
    }
    const limited = await guesser.api.rooms.joinByCode
      .mutate({ code: room.roomCode ?? "", password: "open sesame" })
      .catch((e: unknown) => e);
    expect(limited).toMatchObject({ data: { code: "TOO_MANY_REQUESTS", appCode: "RATE_LIMITED" } });
    expect((limited as { data: { retryAfterMs: number } }).data.retryAfterMs).toBeGreaterThan(0);
  });

  it("admits exactly one of 100 parallel joins to a room with one seat left", async () => {
    const owner = await server().user("owner");
    const room = await owner.api.rooms.create.mutate({ name: `two seats ${clientId()}`, memberLimit: 2 });
    const joiners = await Promise.all(Array.from({ length: 100 }, (_, i) => server().user(`j${i}`)));
    const results = await Promise.allSettled(joiners.map((j) => j.api.rooms.join.mutate({ roomId: room.id })));
    const admitted = results.filter((r) => r.status === "fulfilled");
    expect(admitted).toHaveLength(1);
    const refusedCodes = new Set(
      results.flatMap((r) =>
        r.status === "rejected" ? [(r.reason as { data: { appCode: string } }).data.appCode] : [],
      ),
    );
    expect([...refusedCodes]).toEqual(["ROOM_FULL"]);
    const members = await owner.api.rooms.members.query({ roomId: room.id });
    expect(members).toHaveLength(2);
    expect((await owner.api.rooms.get.query({ roomId: room.id })).memberCount).toBe(2);
  }, 60_000);

  it("charges for paid rooms atomically: never below zero under 50 parallel purchases, ledger sums to balance", async () => {
    const buyer = await server().user("buyer");
    const attempts = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        buyer.api.rooms.create.mutate({ name: `paid ${i}`, isPrivate: true, password: "pw12345" }),
      ),
    );
    const made = attempts.filter((a) => a.status === "fulfilled");
    expect(made).toHaveLength(10);
    const refusal = attempts.find((a) => a.status === "rejected");
    expect(refusal?.status === "rejected" && refusal.reason).toMatchObject({
      data: { code: "PAYMENT_REQUIRED", appCode: "INSUFFICIENT_CREDITS" },
      message: "A private room costs 10 credits; you have 0",
    });
    const { balance, prices } = await buyer.api.credits.balance.query();
    expect(balance).toBe(0);
    expect(prices).toEqual({ privateRoom: 10, superSecretRoom: 25 });
    const ledger = await buyer.api.credits.history.query({});
    expect(ledger.items.reduce((sum, e) => sum + e.delta, 0)).toBe(balance);
    expect(ledger.items.filter((e) => e.reason === "room-private")).toHaveLength(10);
    expect(ledger.items.at(-1)).toMatchObject({ reason: "signup", delta: 100 });
    const mine = await buyer.api.rooms.mine.query();
    expect(mine).toHaveLength(10);
    expect(new Set(ledger.items.flatMap((e) => (e.reference ? [e.reference] : [])))).toEqual(
      new Set(mine.map((r) => r.id)),
    );
  });

  it("lets the owner edit, promote and kick; a kicked member's live subscription ends and history closes", async () => {
    const owner = await server().user("owner");
    const mod = await server().user("mod");
    const member = await server().user("member");
    const room = await server().room(owner, mod, member);
    expect(await refusal(member.api.rooms.update.mutate({ roomId: room.id, name: "mine now" }))).toMatchObject({
      code: "FORBIDDEN",
      appCode: "NOT_ALLOWED",
    });
    await owner.api.rooms.setRole.mutate({ roomId: room.id, userId: mod.id, role: "moderator" });
    const renamed = await owner.api.rooms.update.mutate({ roomId: room.id, name: "Renamed", category: "music" });
    expect(renamed).toMatchObject({ name: "Renamed", category: "music" });

    const memberTab = createMurmurClient({ url: server().url, token: member.token });
    const feed = watchRoom(memberTab, { roomId: room.id });
    await feed.started;
    expect(await refusal(mod.api.rooms.kick.mutate({ roomId: room.id, userId: owner.id }))).toMatchObject({
      appCode: "NOT_ALLOWED",
    });
    await mod.api.rooms.kick.mutate({ roomId: room.id, userId: member.id });
    await until(() => feed.completed);
    await owner.api.messages.send.mutate({ roomId: room.id, content: "after the kick", clientMessageId: clientId() });
    await sleep(100);
    expect(feed.messages).toEqual([]);
    expect(await refusal(member.api.messages.history.query({ roomId: room.id }))).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await refusal(member.api.messages.send.mutate({ roomId: room.id, content: "hi", clientMessageId: clientId() })),
    ).toMatchObject({ code: "FORBIDDEN" });

    const system = (await owner.api.messages.history.query({ roomId: room.id })).items
      .filter((m: Message) => m.messageType === "system")
      .map((m) => m.content)
      .reverse();
    expect(system).toEqual([
      `${mod.username} joined`,
      `${member.username} joined`,
      `${mod.username} is now a moderator`,
      `${owner.username} renamed the room to "Renamed"`,
      `${member.username} was removed by ${mod.username}`,
    ]);
    await memberTab.close();
  });

  it("hands ownership to the oldest member when the owner leaves, and deletes a room left empty", async () => {
    const owner = await server().user("owner");
    const first = await server().user("first");
    const second = await server().user("second");
    const room = await server().room(owner, first, second);
    await owner.api.rooms.leave.mutate({ roomId: room.id });
    const roles = await first.api.rooms.members.query({ roomId: room.id });
    expect(roles.map((m) => [m.user.id, m.role])).toEqual([
      [first.id, "owner"],
      [second.id, "member"],
    ]);
    const history = (await first.api.messages.history.query({ roomId: room.id })).items.map((m) => m.content);
    expect(history.slice(0, 2)).toEqual([`${first.username} is now the owner`, `${owner.username} left`]);

    await second.api.rooms.leave.mutate({ roomId: room.id });
    await first.api.rooms.leave.mutate({ roomId: room.id });
    expect(await refusal(first.api.rooms.get.query({ roomId: room.id }))).toMatchObject({ code: "NOT_FOUND" });
  });

  it("lets the owner delete the room, ending every member's subscription", async () => {
    const owner = await server().user("owner");
    const member = await server().user("member");
    const room = await server().room(owner, member);
    const feed = watchRoom(member.client, { roomId: room.id });
    const activity = record<{ type: string }>((h) => member.client.api.rooms.onActivity.subscribe(undefined, h));
    await feed.started;
    await until(() => activity.items.some((a) => a.type === "listening"));
    expect(await refusal(member.api.rooms.delete.mutate({ roomId: room.id }))).toMatchObject({
      appCode: "NOT_ALLOWED",
    });
    await owner.api.rooms.delete.mutate({ roomId: room.id });
    await until(() => feed.completed);
    await until(() => activity.items.some((a) => a.type === "rooms-changed"));
    expect(await member.api.rooms.mine.query()).toEqual([]);
  });
});
