/**
 * The baseline the product plan sketches: Express + Socket.IO, join a room, send, save to
 * Postgres, broadcast. No auth or sequencing, so it does strictly less work per message than
 * Murmur; the comparison is against what the plan would have shipped.
 */
import { createServer } from "node:http";
import express from "express";
import postgres from "postgres";
import { Server } from "socket.io";

interface SendPayload {
  roomId: string;
  content: string;
}

const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? "127.0.0.1";
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  process.stderr.write("DATABASE_URL is required\n");
  process.exit(1);
}

// The same pool size Murmur uses by default, so neither side wins on connections.
const sql = postgres(databaseUrl, { max: 10, onnotice: () => undefined });
await sql`create table if not exists sio_messages (
  id bigserial primary key,
  room_id text not null,
  content text not null,
  created_at timestamptz not null default now()
)`;
await sql`create index if not exists sio_messages_room_idx on sio_messages (room_id, id)`;

const app = express();
app.get("/healthz", (_req, res) => {
  res.json({ status: "ok", pid: process.pid });
});
const httpServer = createServer(app);
const io = new Server(httpServer, { serveClient: false, transports: ["websocket"] });

const isSend = (value: unknown): value is SendPayload =>
  typeof value === "object" &&
  value !== null &&
  typeof (value as SendPayload).roomId === "string" &&
  typeof (value as SendPayload).content === "string";

io.on("connection", (socket) => {
  socket.on("join", (roomId: unknown, ack: unknown) => {
    if (typeof roomId === "string") void socket.join(roomId);
    if (typeof ack === "function") ack({ ok: true });
  });
  socket.on("send", async (payload: unknown, ack: unknown) => {
    const reply = typeof ack === "function" ? (ack as (result: unknown) => void) : () => undefined;
    if (!isSend(payload)) return reply({ ok: false });
    try {
      const [row] = await sql<{ id: string; created_at: Date }[]>`
        insert into sio_messages (room_id, content) values (${payload.roomId}, ${payload.content})
        returning id, created_at`;
      const message = { id: row?.id, roomId: payload.roomId, content: payload.content, createdAt: row?.created_at };
      io.to(payload.roomId).emit("message", message);
      reply({ ok: true, id: row?.id });
    } catch {
      reply({ ok: false });
    }
  });
});

httpServer.listen(port, host);

const stop = () => {
  void io.close();
  void sql.end({ timeout: 2 }).then(() => process.exit(0));
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
