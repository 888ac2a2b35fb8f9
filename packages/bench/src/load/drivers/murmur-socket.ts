import WebSocket from "ws";

/**
 * Murmur's real wire protocol without the client library: the same tRPC WebSocket frames
 * @trpc/client's wsLink sends (connectionParams, calls, subscriptions, PONG), so the server does
 * identical work. The library also holds each call back by a timer tick (at least 1 ms in Node)
 * to batch it with others; a load generator measuring the server must not.
 *
 * A big room's members receive hundreds of thousands of data frames a second between them, and on a
 * shared machine the generator's time is taken from the server under test. So a subscription may
 * take its data frames as they arrived, found by their first bytes without decoding or parsing
 * them, and frames are not checked for valid UTF-8 (the ceiling's generator skips that too).
 */

const FRAME_START = '{"id":';
/** What follows the subscription id in a data frame, as tRPC's WebSocket adapter writes it. */
const DATA_MARK = ',"result":{"type":"data"';
const FRAME_START_BYTES = Buffer.from(FRAME_START);

interface Frame {
  id?: number | string | null;
  // Subscription data is a tracked envelope: { id: event id, data: the message }.
  result?: { type?: string; data?: unknown };
  error?: { message?: string };
}

const isFrame = (value: unknown): value is Frame => typeof value === "object" && value !== null;

type Waiter = { resolve: (frame: Frame) => void; reject: (error: Error) => void };

export class MurmurSocket {
  private readonly socket: WebSocket;
  private readonly pending = new Map<number, Waiter>();
  private readonly subscriptions = new Map<
    number,
    { listener: (frame: Frame) => void; onDataFrame: ((frame: Buffer) => void) | undefined }
  >();
  private nextId = 1;
  private isOpen = false;
  readonly opened: Promise<void>;

  constructor(url: string, token: string) {
    this.socket = new WebSocket(`${url.replace(/^http/, "ws")}/trpc?connectionParams=1`, {
      skipUTF8Validation: true,
    });
    this.opened = new Promise((resolve, reject) => {
      this.socket.once("open", () => {
        this.isOpen = true;
        this.socket.send(JSON.stringify({ method: "connectionParams", data: { token } }));
        resolve();
      });
      this.socket.once("error", reject);
      this.socket.once("close", (code) => reject(new Error(`closed before opening (${code})`)));
    });
    this.socket.on("message", (data: Buffer) => this.onMessage(data));
    this.socket.on("close", () => {
      this.isOpen = false;
      for (const waiter of this.pending.values()) waiter.reject(new Error("connection closed"));
      this.pending.clear();
      for (const { listener } of this.subscriptions.values()) listener({ error: { message: "connection closed" } });
      this.subscriptions.clear();
    });
    // An error after opening surfaces as a close; without a listener it would crash the process.
    this.socket.on("error", () => undefined);
  }

  get open(): boolean {
    return this.isOpen;
  }

  /** A query or mutation; resolves with the result's data once the server answers. */
  call(method: "query" | "mutation", path: string, input: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (!this.isOpen) {
        reject(new Error("connection closed"));
        return;
      }
      const id = this.nextId++;
      this.pending.set(id, {
        resolve: (frame) =>
          frame.error ? reject(new Error(frame.error.message ?? `${path} failed`)) : resolve(frame.result?.data),
        reject,
      });
      this.socket.send(JSON.stringify({ id, method, params: { path, input: { json: input } } }));
    });
  }

  /**
   * Every frame of one subscription (started, data, errors) goes to `listener`, parsed; with
   * `onDataFrame`, its data frames go there instead, as the bytes that arrived.
   */
  subscribe(
    path: string,
    input: unknown,
    listener: (frame: Frame) => void,
    onDataFrame?: (frame: Buffer) => void,
  ): void {
    const id = this.nextId++;
    this.subscriptions.set(id, { listener, onDataFrame });
    this.socket.send(JSON.stringify({ id, method: "subscription", params: { path, input: { json: input } } }));
  }

  close(): void {
    this.socket.close();
  }

  terminate(): void {
    this.socket.terminate();
  }

  /** The raw listener a data frame is for, found from its first bytes alone. */
  private dataFrameListener(data: Buffer): ((frame: Buffer) => void) | undefined {
    if (this.subscriptions.size === 0) return undefined;
    if (data.compare(FRAME_START_BYTES, 0, FRAME_START.length, 0, FRAME_START.length) !== 0) return undefined;
    const markAt = data.indexOf(DATA_MARK, FRAME_START.length);
    if (markAt < 0) return undefined;
    // Replies to calls look the same; their ids are not subscriptions', so they are parsed below.
    return this.subscriptions.get(Number(data.toString("latin1", FRAME_START.length, markAt)))?.onDataFrame;
  }

  private onMessage(data: Buffer): void {
    const onDataFrame = this.dataFrameListener(data);
    if (onDataFrame) {
      onDataFrame(data);
      return;
    }
    let frame: unknown;
    try {
      frame = JSON.parse(data.toString("utf8"));
    } catch {
      return;
    }
    if (!isFrame(frame) || typeof frame.id !== "number") return;
    const subscription = this.subscriptions.get(frame.id);
    if (subscription) {
      subscription.listener(frame);
      return;
    }
    const waiter = this.pending.get(frame.id);
    if (!waiter) return;
    this.pending.delete(frame.id);
    waiter.resolve(frame);
  }
}
