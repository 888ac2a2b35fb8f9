import type { Encoder } from "@trpc/server/adapters/ws";
import superjson, { type SuperJSONResult } from "superjson";
import { serializeForWire } from "./wire-serializer";

/**
 * A live event reaches every subscriber in this process as the same object, so its wire form is
 * computed once per process instead of once per recipient: shareAcrossSubscribers serializes the
 * tracked envelope once and caches it by the event object, the transformer hands that cached
 * result to tRPC, and the WebSocket encoder reuses its JSON and only wraps it in each
 * subscription's own id. The frames are what tRPC's default superjson transformer and JSON
 * encoder would send (byte for byte for Murmur's events; see serializeForWire).
 */

/** An event's tracked envelope, serialized, that as JSON, and (once needed) its direct frames' tail. */
interface WireForm {
  eventId: string;
  result: SuperJSONResult;
  json: string;
  frameTail?: Buffer;
}

/** By event object. */
const serialized = new WeakMap<object, WireForm>();
/** By serialized envelope: its JSON. */
const encodedResults = new WeakMap<object, string>();

/**
 * The wire form of an event that many subscribers will send unchanged under `eventId` (the event
 * must never be mutated), computed on first use.
 */
export function shareAcrossSubscribers(eventId: string, event: object): WireForm {
  const cached = serialized.get(event);
  if (cached?.eventId === eventId) return cached;
  const result = serializeForWire({ id: eventId, data: event });
  const entry: WireForm = { eventId, result, json: JSON.stringify(result) };
  serialized.set(event, entry);
  encodedResults.set(result, entry.json);
  return entry;
}

/** The cached wire form when `value` is the `{ id, data }` tRPC makes of a shared event, and no more. */
function sharedEnvelope(value: unknown): SuperJSONResult | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const { id, data } = value as { id?: unknown; data?: unknown };
  if (typeof id !== "string" || typeof data !== "object" || data === null) return undefined;
  const cached = serialized.get(data);
  return cached?.eventId === id && Object.keys(value).length === 2 ? cached.result : undefined;
}

function serialize(value: unknown): SuperJSONResult {
  return sharedEnvelope(value) ?? serializeForWire(value);
}

export const transformer = {
  input: superjson,
  output: { serialize, deserialize: superjson.deserialize },
};

interface DataResponse {
  id: string | number;
  jsonrpc?: "2.0";
  result: { type: "data"; id?: string; data: object };
}

const isDataResponse = (value: unknown): value is DataResponse => {
  const result = (value as { result?: { type?: unknown; data?: unknown } } | null)?.result;
  return result?.type === "data" && typeof result.data === "object" && result.data !== null;
};

/**
 * A subscription's data frame, as tRPC's WebSocket adapter writes it (keys in its order), in two
 * parts: what depends only on the subscription, and what depends only on the event.
 */
function framePrefix(subscription: SubscriptionAddress): string {
  const jsonrpc = subscription.jsonrpc === undefined ? "" : `,"jsonrpc":${JSON.stringify(subscription.jsonrpc)}`;
  return `{"id":${JSON.stringify(subscription.id)}${jsonrpc}`;
}

function frameTail(eventId: string | undefined, json: string): string {
  const event = eventId === undefined ? "" : `,"id":${JSON.stringify(eventId)}`;
  return `,"result":{"type":"data","data":${json}${event}}}`;
}

const dataFrame = (subscription: SubscriptionAddress, eventId: string | undefined, json: string) =>
  framePrefix(subscription) + frameTail(eventId, json);

/** How a client addresses one of its subscriptions: the id it chose, echoed with its jsonrpc tag. */
export interface SubscriptionAddress {
  id: string | number;
  jsonrpc?: "2.0" | undefined;
}

/** The bytes that start every direct frame of one subscription. */
export const liveFramePrefix = (subscription: SubscriptionAddress): Buffer => Buffer.from(framePrefix(subscription));

/**
 * The bytes that end every subscriber's frame of a shared live event, encoded once per process:
 * a frame is its subscription's prefix and these, without a string built and encoded per recipient.
 */
export function liveFrameTail(eventId: string, event: object): Buffer {
  const shared = shareAcrossSubscribers(eventId, event);
  shared.frameTail ??= Buffer.from(frameTail(eventId, shared.json));
  return shared.frameTail;
}

export const wsEncoder: Encoder = {
  encode(message) {
    const json = isDataResponse(message) ? encodedResults.get(message.result.data) : undefined;
    if (json === undefined || !isDataResponse(message)) return JSON.stringify(message);
    return dataFrame(message, message.result.id, json);
  },
  decode(data) {
    if (typeof data !== "string") throw new Error("Only text frames are accepted");
    return JSON.parse(data) as unknown;
  },
};
