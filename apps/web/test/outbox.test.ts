import type { Message } from "@murmur/api-contract";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Outbox, type DeliveryResult, type OutboxItem } from "../src/lib/outbox";

class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem = (key: string) => this.data.get(key) ?? null;
  setItem = (key: string, value: string) => void this.data.set(key, value);
  removeItem = (key: string) => void this.data.delete(key);
}

const room = { kind: "room", roomId: "33333333-3333-4333-8333-333333333333" } as const;

const stored = (item: OutboxItem, seq: number): Message => ({
  id: `00000000-0000-4000-8000-${String(seq).padStart(12, "0")}`,
  roomId: room.roomId,
  seq,
  sender: { id: "11111111-1111-4111-8111-111111111111", username: "alice" },
  content: item.content,
  messageType: "text",
  clientMessageId: item.clientMessageId,
  createdAt: new Date(),
});

/** A fake server: records what it was sent and answers with whatever the test says next. */
function fakeServer(answer: (item: OutboxItem) => DeliveryResult | "sent" = () => "sent") {
  const received: OutboxItem[] = [];
  const deliver = async (item: OutboxItem): Promise<DeliveryResult> => {
    received.push(item);
    const result = answer(item);
    return result === "sent"
      ? { kind: "sent", delivered: { kind: "room", message: stored(item, received.length) } }
      : result;
  };
  return { received, deliver };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

afterEach(() => {
  vi.useRealTimers();
});

describe("the outbox", () => {
  it("sends messages one at a time in the order they were written", async () => {
    const outbox = new Outbox(new MemoryStorage());
    outbox.open("alice");
    const server = fakeServer();
    outbox.setDeliver(server.deliver);
    outbox.add(room, "one");
    outbox.add(room, "two");
    outbox.add(room, "three");
    await settle();
    expect(server.received.map((i) => i.content)).toEqual(["one", "two", "three"]);
    expect(outbox.getSnapshot().items).toEqual([]);
  });

  it("holds messages written while offline and sends them in order, with their ids, once back online", async () => {
    const outbox = new Outbox(new MemoryStorage());
    outbox.open("alice");
    const server = fakeServer();
    outbox.setDeliver(server.deliver);
    outbox.setOnline(false);
    const first = outbox.add(room, "first");
    const second = outbox.add(room, "second");
    await settle();
    expect(server.received).toEqual([]);
    expect(outbox.getSnapshot().blocked).toBe("offline");
    expect(outbox.getSnapshot().items.map((i) => i.status)).toEqual(["queued", "queued"]);

    outbox.setOnline(true);
    await settle();
    expect(server.received.map((i) => i.clientMessageId)).toEqual([first.clientMessageId, second.clientMessageId]);
  });

  it("keeps the queue in storage so a reload sends it with the original ids", async () => {
    const storage = new MemoryStorage();
    const before = new Outbox(storage);
    before.open("alice");
    before.setOnline(false);
    const queued = before.add(room, "written offline");

    const after = new Outbox(storage);
    after.open("alice");
    const server = fakeServer();
    after.setDeliver(server.deliver);
    await settle();
    expect(server.received.map((i) => [i.clientMessageId, i.content])).toEqual([
      [queued.clientMessageId, "written offline"],
    ]);
    expect(storage.data.size).toBe(0);
  });

  it("resends a message whose send was cut short by a reload", async () => {
    const storage = new MemoryStorage();
    const before = new Outbox(storage);
    before.open("alice");
    before.setDeliver(() => new Promise<DeliveryResult>(() => undefined));
    const item = before.add(room, "in flight");
    await settle();
    expect(before.getSnapshot().items[0]?.status).toBe("sending");

    const after = new Outbox(storage);
    after.open("alice");
    const server = fakeServer();
    after.setDeliver(server.deliver);
    await settle();
    expect(server.received.map((i) => i.clientMessageId)).toEqual([item.clientMessageId]);
  });

  it("keeps each user's queue apart", () => {
    const storage = new MemoryStorage();
    const alice = new Outbox(storage);
    alice.open("alice");
    alice.setOnline(false);
    alice.add(room, "alice's");
    const bob = new Outbox(storage);
    bob.open("bob");
    expect(bob.getSnapshot().items).toEqual([]);
  });

  it("retries after a network failure without losing the message", async () => {
    vi.useFakeTimers();
    const outbox = new Outbox(new MemoryStorage());
    outbox.open("alice");
    let down = true;
    const server = fakeServer(() => (down ? { kind: "offline" } : "sent"));
    outbox.setDeliver(server.deliver);
    const item = outbox.add(room, "hello");
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.getSnapshot().blocked).toBe("offline");
    expect(outbox.getSnapshot().items[0]?.status).toBe("queued");

    down = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(outbox.getSnapshot().items).toEqual([]);
    expect(server.received.map((i) => i.clientMessageId)).toEqual([item.clientMessageId, item.clientMessageId]);
  });

  it("waits out a rate limit and then sends", async () => {
    vi.useFakeTimers();
    const outbox = new Outbox(new MemoryStorage());
    outbox.open("alice");
    let limited = true;
    const server = fakeServer(() => (limited ? { kind: "rate-limited", retryAfterMs: 3_000 } : "sent"));
    outbox.setDeliver(server.deliver);
    outbox.add(room, "too fast");
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.getSnapshot().blocked).toBe("rate-limited");
    expect(outbox.getSnapshot().retryAt).not.toBeNull();

    limited = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(outbox.getSnapshot().items).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(outbox.getSnapshot().items).toEqual([]);
    expect(outbox.getSnapshot().blocked).toBeNull();
  });

  it("marks a refused message failed, goes on with the next, and sends it again on retry", async () => {
    const outbox = new Outbox(new MemoryStorage());
    outbox.open("alice");
    const server = fakeServer((item) =>
      item.content === "refused" && server.received.length === 1 ? { kind: "failed", error: "Not allowed" } : "sent",
    );
    outbox.setDeliver(server.deliver);
    const refused = outbox.add(room, "refused");
    outbox.add(room, "fine");
    await settle();
    expect(outbox.getSnapshot().items).toEqual([
      expect.objectContaining({ clientMessageId: refused.clientMessageId, status: "failed", error: "Not allowed" }),
    ]);

    outbox.retry(refused.clientMessageId);
    await settle();
    expect(outbox.getSnapshot().items).toEqual([]);
    expect(server.received.map((i) => i.content)).toEqual(["refused", "fine", "refused"]);
  });

  it("tells listeners about each acknowledged message before dropping it from the queue", async () => {
    const outbox = new Outbox(new MemoryStorage());
    outbox.open("alice");
    outbox.setDeliver(fakeServer().deliver);
    const seen: { content: string; stillQueued: number }[] = [];
    outbox.onDelivered((delivered) =>
      seen.push({ content: delivered.message.content, stillQueued: outbox.getSnapshot().items.length }),
    );
    outbox.add(room, "hi");
    await settle();
    expect(seen).toEqual([{ content: "hi", stillQueued: 1 }]);
  });

  it("forgets the queue on log-out", () => {
    const storage = new MemoryStorage();
    const outbox = new Outbox(storage);
    outbox.open("alice");
    outbox.setOnline(false);
    outbox.add(room, "private thoughts");
    expect(storage.data.size).toBe(1);
    outbox.close({ forget: true });
    expect(storage.data.size).toBe(0);
    expect(outbox.getSnapshot().items).toEqual([]);
  });
});
