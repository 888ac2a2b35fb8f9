import { io } from "socket.io-client";
import type { Connection, DriverOptions } from "./types";
import { withTimeout } from "./types";

interface Delivered {
  content?: unknown;
}

interface Ack {
  ok?: boolean;
}

export async function connectSocketIo(options: DriverOptions): Promise<Connection> {
  const { url, client, onContent, timeoutMs } = options;
  // forceNew: without it socket.io-client multiplexes every client of a URL over one connection.
  const socket = io(url, { transports: ["websocket"], reconnection: false, forceNew: true, timeout: timeoutMs });
  socket.on("message", (message: Delivered) => {
    if (typeof message.content === "string") onContent(message.content);
  });
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      }),
      timeoutMs,
      "connecting",
    );
    await socket.timeout(timeoutMs).emitWithAck("join", client.roomId);
  } catch (error) {
    socket.disconnect();
    throw error;
  }
  return {
    async send(content) {
      const ack = (await socket.timeout(timeoutMs).emitWithAck("send", { roomId: client.roomId, content })) as Ack;
      if (!ack.ok) throw new Error("send refused");
    },
    get open() {
      return socket.connected;
    },
    close: () => socket.disconnect(),
  };
}
