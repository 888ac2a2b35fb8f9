import WebSocket from "ws";
import type { Connection, DriverOptions } from "./types";
import { withTimeout } from "./types";

/** The ceiling's frames: `J<room>` joins (answered by `J`), `M<room>\n<content>` broadcasts. */
export async function connectWs(options: DriverOptions): Promise<Connection> {
  const { url, client, onContent, timeoutMs } = options;
  // No UTF-8 check, as for Murmur's frames: it is generator work, on the cores the server is measured on.
  const socket = new WebSocket(url.replace(/^http/, "ws"), { skipUTF8Validation: true });
  let isOpen = false;
  const joined = new Promise<void>((resolve, reject) => {
    socket.once("open", () => {
      isOpen = true;
      socket.send(`J${client.roomId}`);
    });
    socket.once("error", reject);
    socket.once("close", (code) => reject(new Error(`closed before joining (${code})`)));
    socket.on("message", (data: Buffer) => {
      const text = data.toString("utf8");
      if (text === "J") resolve();
      else onContent(text);
    });
  });
  socket.on("close", () => (isOpen = false));
  socket.on("error", () => undefined);
  try {
    await withTimeout(joined, timeoutMs, "joining");
  } catch (error) {
    socket.terminate();
    throw error;
  }
  return {
    send: (content) =>
      new Promise<void>((resolve, reject) => {
        socket.send(`M${client.roomId}\n${content}`, (error) => (error ? reject(error) : resolve()));
      }),
    get open() {
      return isOpen;
    },
    close: () => socket.close(),
  };
}
