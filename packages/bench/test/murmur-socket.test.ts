import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { MurmurSocket } from "../src/load/drivers/murmur-socket";
import { readStamp, stampIn } from "../src/load/protocol";

/**
 * A stand-in server that writes frames the way tRPC's WebSocket adapter does: a subscription is
 * started and gets one data frame; a query's reply has the same shape under the call's id.
 */
let server: WebSocketServer;
let url: string;

beforeAll(async () => {
  server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  server.on("connection", (socket) => {
    socket.on("message", (data: Buffer) => {
      const message = JSON.parse(data.toString("utf8")) as { id?: number; method: string };
      if (message.method === "subscription") {
        socket.send(JSON.stringify({ id: message.id, result: { type: "started" } }));
        const event = { json: { content: "@@t=1.500@@p=7@@ délivré" } };
        socket.send(JSON.stringify({ id: message.id, result: { type: "data", data: event, id: "e1" } }));
      } else if (message.method === "query") {
        const reply = { json: { content: "@@t=2.500@@p=7@@ a reply, not a delivery" } };
        socket.send(JSON.stringify({ id: message.id, result: { type: "data", data: reply } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.once("listening", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("the load generator's Murmur socket", () => {
  it("hands a subscription's data frames over as bytes and still parses replies to calls", async () => {
    const socket = new MurmurSocket(url, "token");
    await socket.opened;
    const delivered: Buffer[] = [];
    const started = new Promise<string | undefined>((resolve) =>
      socket.subscribe(
        "messages.onRoom",
        { roomId: "r" },
        (frame) => resolve(frame.result?.type),
        (frame) => delivered.push(frame),
      ),
    );
    expect(await started).toBe("started");
    const reply = await socket.call("query", "messages.history", {});
    expect(reply).toEqual({ json: { content: "@@t=2.500@@p=7@@ a reply, not a delivery" } });
    expect(delivered).toHaveLength(1);
    const stamp = delivered[0] ? stampIn(delivered[0]) : null;
    expect(stamp === null ? null : readStamp(stamp)).toEqual({ sentAt: 1.5, phase: 7 });
    socket.close();
  });
});
