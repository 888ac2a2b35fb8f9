import { createECDH, randomBytes } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { PushPayload } from "@murmur/api-contract";
import { decrypt } from "http_ece";
import { expect, it } from "vitest";
import { mentionedUsernames } from "../src/services/push";
import { clientId, until, watchPresence } from "./helpers/live";
import { describeEachDb } from "./helpers/server";

/** A stand-in push service on 127.0.0.1 that decrypts what it receives with the browser's private key. */
async function localPushService() {
  const browserKeys = createECDH("prime256v1");
  browserKeys.generateKeys();
  const authSecret = randomBytes(16).toString("base64url");
  const received: { payload: PushPayload; headers: Record<string, string | string[] | undefined>; path: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const clear = decrypt(Buffer.concat(chunks), { version: "aes128gcm", privateKey: browserKeys, authSecret });
      received.push({
        payload: JSON.parse(clear.toString()) as PushPayload,
        headers: req.headers,
        path: req.url ?? "",
      });
      // Like a real push service for a browser that unsubscribed: the endpoint is gone for good.
      res.writeHead(req.url?.includes("/gone-") ? 410 : 201).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    subscription: (path: string) => ({
      endpoint: `http://127.0.0.1:${port}/push/${path}`,
      keys: { p256dh: browserKeys.getPublicKey().toString("base64url"), auth: authSecret },
    }),
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

it("finds @mentions by username, once each, case-insensitively", () => {
  expect(mentionedUsernames("hi @Alice and @bob_2, @alice again; mail@example.com is no mention")).toEqual([
    "alice",
    "bob_2",
  ]);
});

describeEachDb("web push", (server) => {
  it("delivers an encrypted, VAPID-signed push for a DM to an offline user, and none to an online one", async () => {
    const push = await localPushService();
    try {
      const alice = await server().user("alice");
      const bob = await server().user("bob");
      const { publicKey } = await bob.api.push.config.query();
      expect(publicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);
      await bob.api.push.subscribe.mutate(push.subscription(`bob-${clientId()}`));

      await alice.api.dm.send.mutate({ toUserId: bob.id, content: "are you there?", clientMessageId: clientId() });
      await until(() => push.received.length === 1);
      const [first] = push.received;
      expect(first?.payload).toEqual({
        title: `Message from ${alice.username}`,
        body: "are you there?",
        url: `/dm/${alice.id}`,
      });
      expect(String(first?.headers.authorization)).toContain(`k=${publicKey}`);
      expect(first?.headers["content-encoding"]).toBe("aes128gcm");

      const watch = watchPresence(alice.client);
      await watch.listening;
      const online = bob.client.api.presence.on.subscribe(undefined, {});
      await until(() => watch.changes.some((c) => c.userId === bob.id && c.isOnline));
      await alice.api.dm.send.mutate({ toUserId: bob.id, content: "now you are online", clientMessageId: clientId() });
      await new Promise((r) => setTimeout(r, 300));
      expect(push.received).toHaveLength(1);
      online.unsubscribe();
      watch.stop();
    } finally {
      await push.close();
    }
  });

  it("pushes a room mention to an offline member only, and forgets endpoints the service says are gone", async () => {
    const push = await localPushService();
    try {
      const alice = await server().user("alice");
      const carol = await server().user("carol");
      const dave = await server().user("dave");
      const room = await server().room(alice, carol, dave);
      await carol.api.push.subscribe.mutate(push.subscription(`carol-${clientId()}`));
      await dave.api.push.subscribe.mutate(push.subscription(`gone-${clientId()}`));
      await alice.api.messages.send.mutate({
        roomId: room.id,
        content: `hey @${carol.username}!`,
        clientMessageId: clientId(),
      });
      await until(() => push.received.length === 1);
      expect(push.received[0]?.payload).toMatchObject({
        title: `${alice.username} mentioned you`,
        url: `/rooms/${room.id}`,
      });
      await new Promise((r) => setTimeout(r, 200));
      expect(push.received).toHaveLength(1);

      const mentionDave = () =>
        alice.api.messages.send.mutate({
          roomId: room.id,
          content: `@${dave.username} ping`,
          clientMessageId: clientId(),
        });
      await mentionDave();
      await until(() => push.received.length === 2);
      expect(push.received[1]?.path).toContain("/gone-");
      await new Promise((r) => setTimeout(r, 200));
      await mentionDave();
      await new Promise((r) => setTimeout(r, 300));
      expect(push.received).toHaveLength(2);
    } finally {
      await push.close();
    }
  });
});
