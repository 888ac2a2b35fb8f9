import { expect, it } from "vitest";
import { refusal } from "./helpers/refusal";
import { describeEachDb } from "./helpers/server";

describeEachDb("public rooms", (server) => {
  it("creates a room owned by its creator, with an 8-character code kept off the wire", async () => {
    const owner = await server().user("owner");
    const room = await owner.api.rooms.create.mutate({ name: "  Lobby  ", description: "Say hi", category: "general" });
    expect(room).toMatchObject({
      name: "Lobby",
      description: "Say hi",
      category: "general",
      memberCount: 1,
      myRole: "owner",
    });
    expect(room.isPrivate).toBe(false);
    expect(room.creatorId).toBe(owner.id);
    const members = await owner.api.rooms.members.query({ roomId: room.id });
    expect(members.map((m) => [m.user.id, m.role])).toEqual([[owner.id, "owner"]]);
  });

  it("lets anyone join a public room, once, and counts members", async () => {
    const owner = await server().user("owner");
    const guest = await server().user("guest");
    const room = await server().room(owner);
    const joined = await guest.api.rooms.join.mutate({ roomId: room.id });
    expect(joined).toMatchObject({ id: room.id, myRole: "member", memberCount: 2 });
    const again = await guest.api.rooms.join.mutate({ roomId: room.id });
    expect(again.memberCount).toBe(2);
    const members = await guest.api.rooms.members.query({ roomId: room.id });
    expect(members.map((m) => m.user.username).sort()).toEqual([owner.username, guest.username].sort());
    expect(JSON.stringify(members)).not.toContain(owner.email);
  });

  it("shows my rooms, and takes a room away from them when I leave", async () => {
    const owner = await server().user("owner");
    const guest = await server().user("guest");
    const room = await server().room(owner, guest);
    expect((await guest.api.rooms.mine.query()).map((r) => r.id)).toContain(room.id);
    await guest.api.rooms.leave.mutate({ roomId: room.id });
    expect((await guest.api.rooms.mine.query()).map((r) => r.id)).not.toContain(room.id);
    expect((await owner.api.rooms.get.query({ roomId: room.id })).memberCount).toBe(1);
    expect(await refusal(guest.api.rooms.leave.mutate({ roomId: room.id }))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("refuses the member list to non-members", async () => {
    const owner = await server().user("owner");
    const stranger = await server().user("stranger");
    const room = await server().room(owner);
    expect(await refusal(stranger.api.rooms.members.query({ roomId: room.id }))).toMatchObject({
      code: "FORBIDDEN",
      appCode: "NOT_A_MEMBER",
    });
  });

  it("answers NOT_FOUND for a room that does not exist and BAD_REQUEST for a malformed id", async () => {
    const user = await server().user();
    expect(await refusal(user.api.rooms.get.query({ roomId: "00000000-0000-4000-8000-000000000000" }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await refusal(user.api.rooms.join.mutate({ roomId: "not-a-uuid" }))).toMatchObject({ code: "BAD_REQUEST" });
  });

  it("lists rooms by recent activity, pages with a cursor, and filters by category and name", async () => {
    const owner = await server().user("lister");
    const tag = `zz${Date.now().toString(36)}`;
    const created = [];
    for (let i = 0; i < 35; i++) {
      created.push(
        await owner.api.rooms.create.mutate({ name: `${tag} room ${i}`, category: i % 2 === 0 ? "music" : "gaming" }),
      );
    }
    const first = await owner.api.rooms.list.query({ q: tag });
    expect(first.items).toHaveLength(30);
    expect(first.nextCursor).not.toBeNull();
    const second = await owner.api.rooms.list.query({ q: tag, cursor: first.nextCursor });
    expect(second.items).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((r) => r.id);
    expect(new Set(ids).size).toBe(35);
    expect(ids).toEqual(created.map((r) => r.id).reverse());

    const music = await owner.api.rooms.list.query({ q: tag, category: "music" });
    expect(music.items).toHaveLength(18);
    expect(music.items.every((r) => r.category === "music")).toBe(true);

    const one = await owner.api.rooms.list.query({ q: `${tag} room 7` });
    expect(one.items.map((r) => r.name)).toEqual([`${tag} room 7`]);
    const wildcard = await owner.api.rooms.list.query({ q: `${tag}%` });
    expect(wildcard.items).toHaveLength(0);
  });

  it("refuses a forged directory cursor with BAD_REQUEST", async () => {
    const user = await server().user();
    expect(await refusal(user.api.rooms.list.query({ cursor: "garbage" }))).toMatchObject({
      code: "BAD_REQUEST",
      appCode: "BAD_CURSOR",
    });
  });

  it("refuses empty and oversized room names", async () => {
    const user = await server().user();
    expect(await refusal(user.api.rooms.create.mutate({ name: "   " }))).toMatchObject({ code: "BAD_REQUEST" });
    expect(await refusal(user.api.rooms.create.mutate({ name: "x".repeat(65) }))).toMatchObject({
      code: "BAD_REQUEST",
    });
  });
});
