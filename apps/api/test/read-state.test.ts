import type { MurmurClient } from "@murmur/client";
import { createMurmurClient } from "@murmur/client";
import { expect, it } from "vitest";
import { clientId, record, until } from "./helpers/live";
import { refusal } from "./helpers/refusal";
import { describeEachDb, type TestUser } from "./helpers/server";

type Activity = { type: string; roomId?: string; lastReadSeq?: number };

describeEachDb("room read state", (server) => {
  const send = (user: TestUser, roomId: string, content: string) =>
    user.api.messages.send.mutate({ roomId, content, clientMessageId: clientId() });
  const watchActivity = (client: MurmurClient) =>
    record<Activity>((handlers) => client.api.rooms.onActivity.subscribe(undefined, handlers));
  const unread = async (user: TestUser, roomId: string) =>
    (await user.api.rooms.mine.query()).find((r) => r.id === roomId)?.unreadCount;

  it("counts unread messages per room, with the last message, through a scripted conversation", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    await send(alice, room.id, "one");
    const two = await send(alice, room.id, "two");
    const three = await send(alice, room.id, "three");
    expect(await unread(bob, room.id)).toBe(3);
    expect(await unread(alice, room.id)).toBe(0);
    const mine = (await bob.api.rooms.mine.query()).find((r) => r.id === room.id);
    expect(mine?.lastMessage?.content).toBe("three");

    await bob.api.rooms.markRead.mutate({ roomId: room.id, upTo: two.seq });
    expect(await unread(bob, room.id)).toBe(1);
    await bob.api.rooms.markRead.mutate({ roomId: room.id, upTo: 1 });
    expect(await unread(bob, room.id)).toBe(1);
    await bob.api.rooms.markRead.mutate({ roomId: room.id, upTo: 999 });
    expect(await unread(bob, room.id)).toBe(0);
    expect((await bob.api.rooms.mine.query()).find((r) => r.id === room.id)?.lastReadSeq).toBe(three.seq);

    await send(bob, room.id, "reply");
    expect(await unread(bob, room.id)).toBe(0);
    expect(await unread(alice, room.id)).toBe(1);
  });

  it("keeps other tabs right: new messages and reads in one tab reach another tab's sidebar, whose stream says 'listening' first", async () => {
    const alice = await server().user("alice");
    const bob = await server().user("bob");
    const room = await server().room(alice, bob);
    const sidebarTab = createMurmurClient({ url: server().url, token: bob.token });
    const sidebar = watchActivity(sidebarTab);
    // tRPC's "started" comes before the server's listeners; "listening" after them.
    await until(() => sidebar.items.length > 0);
    expect(sidebar.items[0]).toEqual({ type: "listening" });
    const message = await send(alice, room.id, "while the room is open elsewhere");
    await until(() => sidebar.items.some((a) => a.type === "message"));
    await bob.api.rooms.markRead.mutate({ roomId: room.id, upTo: message.seq });
    await until(() => sidebar.items.some((a) => a.type === "read"));
    expect(sidebar.items.find((a) => a.type === "read")).toEqual({
      type: "read",
      roomId: room.id,
      lastReadSeq: message.seq,
    });

    const other = await server().room(alice);
    await bob.api.rooms.join.mutate({ roomId: other.id });
    await until(() => sidebar.items.some((a) => a.type === "rooms-changed"));
    await send(alice, other.id, "in the room just joined");
    await until(() => sidebar.items.some((a) => a.type === "message" && a.roomId === other.id));
    await sidebarTab.close();
  });

  it("refuses to mark a room read for a non-member", async () => {
    const alice = await server().user("alice");
    const eve = await server().user("eve");
    const room = await server().room(alice);
    expect(await refusal(eve.api.rooms.markRead.mutate({ roomId: room.id, upTo: 1 }))).toMatchObject({
      code: "FORBIDDEN",
    });
  });
});
