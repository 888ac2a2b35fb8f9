import { randomBytes } from "node:crypto";
import { stampIn } from "../protocol";
import { MurmurSocket } from "./murmur-socket";
import type { Connection, DriverOptions } from "./types";
import { withTimeout } from "./types";

/**
 * A room member on Murmur's real wire protocol (see MurmurSocket): one `messages.onRoom`
 * subscription, and sends either as tRPC frames on the socket or as the same POST httpBatchLink
 * makes.
 */

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
    const socket = new MurmurSocket(url, token);

    const subscribed = socket.opened.then(
      () =>
        new Promise<void>((resolve, reject) => {
          socket.subscribe(
            "messages.onRoom",
            { roomId: client.roomId },
            (frame) => {
              if (frame.error) reject(new Error(frame.error.message ?? "subscription failed"));
              else if (frame.result?.type === "started") resolve();
            },
            (frame) => {
              const stamp = stampIn(frame);
              if (stamp) onContent(stamp);
            },
          );
        }),
    );
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

    const sendOverWs = async (content: string) => {
      const input = { roomId: client.roomId, content, clientMessageId: clientMessageId() };
      await socket.call("mutation", "messages.send", input);
    };

    return {
      send: sendVia === "http" ? sendOverHttp : sendOverWs,
      get open() {
        return socket.open;
      },
      close: () => socket.close(),
    };
  };
}
