import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { serializeForWire } from "../src/live/wire-serializer";

const at = (ms: number) => new Date(Date.UTC(2026, 10, 28) + ms);

/** A history page as the service returns it: 50 messages, each with its own sender and date. */
const historyPage = () => ({
  items: Array.from({ length: 50 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    roomId: "10000000-0000-4000-8000-000000000000",
    seq: 1000 - i,
    sender: i % 7 === 0 ? null : { id: "20000000-0000-4000-8000-000000000000", username: "alice" },
    content: `message ${i} "quoted" \u00e9 \ud83d\ude00`,
    messageType: "text",
    clientMessageId: i % 3 === 0 ? null : `c-${i}`,
    createdAt: at(-i * 1000),
  })),
  nextCursor: "950",
});

class Point {
  constructor(readonly x: number) {}
}
class List extends Array<unknown> {}
class StampedDate extends Date {
  override toJSON() {
    return "stamped";
  }
}

const shared = { id: "x" };
const sharedDate = at(0);

/** What Murmur sends: the same bytes as superjson's. */
const sentByMurmur: Record<string, unknown> = {
  "a history page": historyPage(),
  "an empty page": { items: [], nextCursor: null },
  "a tracked event envelope": { id: "42", data: { kind: "message", roomId: "r", message: { createdAt: at(5) } } },
  "a root array with Dates": [at(1), { when: at(2), list: [at(3), null, true, 0, -1.5, ""] }],
};

/** Anything else: what the client reads back is what superjson's own output gives it, or both refuse. */
const others: Record<string, unknown> = {
  "a Date beside an object holding one": { a: [{ when: at(11) }, at(12)] },
  "nested arrays": [[[]], [{}], { a: [[at(4)]] }],
  "an object without prototype": Object.assign(Object.create(null) as object, { at: at(6) }),
  "a primitive": "just a string",
  "a root Date": at(7),
  "an object reached twice": { a: shared, b: shared },
  "a Date reached twice": { a: sharedDate, b: [sharedDate] },
  "undefined properties": { a: undefined, b: [undefined] },
  "NaN, Infinity and -0": { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: -0 },
  "keys superjson escapes": { "a.b": at(8), "c\\d": at(9) },
  "an invalid Date": { when: new Date(Number.NaN) },
  "a Map, a Set and a BigInt": { m: new Map([["k", at(10)]]), s: new Set([1]), n: 10n },
  "a class instance": { p: new Point(1) },
  "a sparse array": { a: Object.assign(new Array<number>(3), { 0: 1, 2: 3 }) },
  "keys superjson refuses": { constructor: { at: at(13) } },
  "a __proto__ key": Object.fromEntries([["__proto__", at(14)]]),
  "an Array subclass holding a Date": { list: List.from([1, at(16)]) },
  "a Date subclass with its own toJSON": { when: new StampedDate(0) },
  "a toJSON that is not enumerable": Object.defineProperty({ a: at(15) }, "toJSON", { value: () => "x" }),
};

const superjsonReads = (value: unknown): { read: unknown } | { refused: true } => {
  try {
    return { read: superjson.parse(JSON.stringify(superjson.serialize(value))) };
  } catch {
    return { refused: true };
  }
};

describe("the wire serializer", () => {
  it("serializes what Murmur sends to the same bytes as superjson", () => {
    for (const [name, value] of Object.entries(sentByMurmur)) {
      expect(JSON.stringify(serializeForWire(value)), name).toBe(JSON.stringify(superjson.serialize(value)));
    }
  });

  it("gives the client what superjson would for any other value, and refuses what superjson refuses", () => {
    for (const [name, value] of Object.entries({ ...sentByMurmur, ...others })) {
      const expected = superjsonReads(value);
      if ("refused" in expected) expect(() => serializeForWire(value), name).toThrow();
      else expect(superjson.parse(JSON.stringify(serializeForWire(value))), name).toEqual(expected.read);
    }
  });

  it("sends a history page as the page itself, with no copy of its 50 messages, and the client reads it back whole", () => {
    const page = historyPage();
    const result = serializeForWire(page);
    expect(result.json).toBe(page);
    expect(Object.keys(result.meta?.values ?? {})).toHaveLength(50);
    expect(superjson.parse(JSON.stringify(result))).toEqual(page);
  });
});
