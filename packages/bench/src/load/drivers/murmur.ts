import { randomBytes } from "node:crypto";
import WebSocket from "ws";
import type { Connection, DriverOptions } from "./types";
import { withTimeout } from "./types";

/**
 * Murmur's real wire protocol without the client library's per-message overhead in the generator:
 * the same tRPC WebSocket frames @trpc/client's wsLink sends (connectionParams, subscription,
 * PONG), and for sends the same POST httpBatchLink makes, so the server does identical work.
 */

const SUBSCRIPTION_ID = 1;

interface Frame {
  id?: number | string | null;
  // Subscription data is a tracked envelope: { id: event id, data: the message }.
  result?: { type?: string; data?: { json?: { data?: { content?: unknown } } } };
  error?: { message?: string };
}

const isFrame = (value: unknown): value is Frame => typeof value === "object" && value !== null;

let processTag = randomBytes(4).toString("hex");
let nextClientMessage = 0;

/** Every send needs an id unique for its sender; a per-process tag plus a counter is. */
const clientMessageId = () => `${processTag}-${nextClientMessage++}`;

export function resetMurmurIds(): void {
  processTag = randomBytes(4).toString("hex");
  nextClientMessage = 0;
}

export function murmurDriver(sendVia: "http" | "ws") {
  return async function connectMurmur(options: DriverOptions): Promise<Connection> {
    const { url, client, onContent, timeoutMs } = options;
    const token = client.token ?? "";
    const socket = new WebSocket(`${url.replace(/^http/, "ws")}/trpc?connectionParams=1`);
    const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
    let nextId = SUBSCRIPTION_ID + 1;
    let isOpen = false;

    const subscribed = new Promise<void>((resolve, reject) => {
      socket.once("open", () => {
        isOpen = true;
        socket.send(JSON.stringify({ method: "connectionParams", data: { token } }));
        socket.send(
          JSON.stringify({
            id: SUBSCRIPTION_ID,
            method: "subscription",
            params: { path: "messages.onRoom", input: { json: { roomId: client.roomId } } },
          }),
        );
      });
      socket.once("error", reject);
      socket.once("close", (code) => reject(new Error(`closed before subscribing (${code})`)));
      socket.on("message", (data: Buffer) => {
        const text = data.toString("utf8");
        if (text === "PING") {
          socket.send("PONG");
          return;
        }
        let frame: unknown;
        try {
          frame = JSON.parse(text);
        } catch {
          return;
        }
        if (!isFrame(frame)) return;
        if (frame.id === SUBSCRIPTION_ID) {
          if (frame.error) reject(new Error(frame.error.message ?? "subscription failed"));
          else if (frame.result?.type === "started") resolve();
          else if (frame.result?.type === "data") {
            const content = frame.result.data?.json?.data?.content;
            if (typeof content === "string") onContent(content);
          }
          return;
        }
        const waiter = typeof frame.id === "number" ? pending.get(frame.id) : undefined;
        if (!waiter || typeof frame.id !== "number") return;
        pending.delete(frame.id);
        if (frame.error) waiter.reject(new Error(frame.error.message ?? "send failed"));
        else waiter.resolve();
      });
    });
    socket.on("close", () => {
      isOpen = false;
      for (const waiter of pending.values()) waiter.reject(new Error("connection closed"));
      pending.clear();
    });
    // An error after subscribing surfaces as a close; without a listener it would crash the process.
    socket.on("error", () => undefined);

    try {
      await withTimeout(subscribed, timeoutMs, "subscribing");
    } catch (error) {
      socket.terminate();
      throw error;
    }

    const sendOverHttp = async (content: string) => {
      const input = { roomId: client.roomId, content, clientMessageId: clientMessageId() };
      const response = await fetch(`${url}/trpc/messages.send?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ 0: { json: input } }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await response.text();
      if (!response.ok) throw new Error(`send failed: HTTP ${response.status} ${body.slice(0, 200)}`);
    };

    const sendOverWs = (content: string) =>
      new Promise<void>((resolve, reject) => {
        if (!isOpen) {
          reject(new Error("connection closed"));
          return;
        }
        const id = nextId++;
        pending.set(id, { resolve, reject });
        const input = { roomId: client.roomId, content, clientMessageId: clientMessageId() };
        socket.send(
          JSON.stringify({ id, method: "mutation", params: { path: "messages.send", input: { json: input } } }),
        );
      });

    return {
      send: sendVia === "http" ? sendOverHttp : sendOverWs,
      get open() {
        return isOpen;
      },
      close: () => socket.close(),
    };
  };
}
