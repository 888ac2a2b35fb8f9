/**
 * The ceiling: a bare `ws` broadcast with no persistence, no auth and no RPC envelope. Frames are
 * `J<room>` to join and `M<room>\n<content>` to broadcast the content to the room, sender included.
 * Like Murmur, it holds each socket's writes until the event loop turn ends, so frames that meet
 * in one turn leave in one system call: without that, Murmur outruns its own ceiling.
 */
import { createServer } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? "127.0.0.1";
const rooms = new Map<string, Set<WebSocket>>();
const transports = new WeakMap<WebSocket, Duplex>();
const corked = new Set<Duplex>();

function send(socket: WebSocket, content: string): void {
  const transport = transports.get(socket);
  if (transport && !corked.has(transport)) {
    transport.cork();
    corked.add(transport);
    if (corked.size === 1)
      setImmediate(() => {
        for (const stream of corked) stream.uncork();
        corked.clear();
      });
  }
  socket.send(content);
}

const httpServer = createServer((req, res) => {
  if (req.url === "/healthz") res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
  else res.writeHead(404).end();
});
const wss = new WebSocketServer({ server: httpServer });

wss.on("connection", (socket, req) => {
  transports.set(socket, req.socket);
  const joined: string[] = [];
  socket.on("message", (data: Buffer) => {
    const text = data.toString("utf8");
    if (text.startsWith("J")) {
      const roomId = text.slice(1);
      const members = rooms.get(roomId) ?? new Set<WebSocket>();
      members.add(socket);
      rooms.set(roomId, members);
      joined.push(roomId);
      socket.send("J");
    } else if (text.startsWith("M")) {
      const newline = text.indexOf("\n");
      const members = rooms.get(text.slice(1, newline));
      const content = text.slice(newline + 1);
      if (members) for (const member of members) send(member, content);
    }
  });
  socket.on("close", () => {
    for (const roomId of joined) rooms.get(roomId)?.delete(socket);
  });
});

httpServer.listen(port, host);

const stop = () => {
  for (const client of wss.clients) client.terminate();
  wss.close();
  httpServer.close(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
