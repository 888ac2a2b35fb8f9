import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createMurmurClient, type MurmurClient } from "@murmur/client";
import { describe, expect, it } from "vitest";
import { clientId, watchRoom, until } from "./helpers/live";
import { freePort, startMurmurProcess, type MurmurProcess } from "./helpers/processes";
import { freshDatabase, postgresUrl } from "./helpers/server";

const NGINX = "/usr/sbin/nginx";
const redisUrl = process.env.REDIS_URL;
const reason = !existsSync(NGINX)
  ? "nginx is not installed"
  : !postgresUrl || !redisUrl
    ? "DATABASE_URL and REDIS_URL are needed"
    : null;
const exampleConfig = fileURLToPath(new URL("../../../deploy/nginx.conf", import.meta.url));

describe.skipIf(reason !== null)(`the example nginx config${reason ? ` (skipped: ${reason})` : ""}`, () => {
  it("proxies HTTP and WebSocket traffic to several Murmur processes without sticky sessions", async () => {
    const fresh = await freshDatabase("postgres");
    await fresh.database.close();
    const env = {
      DATABASE_URL: fresh.url ?? "",
      REDIS_URL: redisUrl ?? "",
      REDIS_PREFIX: `nginx-${randomBytes(3).toString("hex")}:`,
      TRUST_PROXY: "1",
      MESSAGE_RATE_PER_MINUTE: "100000",
    };
    const backends: MurmurProcess[] = await Promise.all([startMurmurProcess(env), startMurmurProcess(env)]);
    const port = await freePort();
    const prefix = mkdtempSync(join(tmpdir(), "murmur-nginx-"));
    const site = readFileSync(exampleConfig, "utf8")
      .replace(/ {4}server 127\.0\.0\.1:300\d;\n/g, "")
      .replace("keepalive 32;", `${backends.map((b) => `server 127.0.0.1:${b.port};`).join(" ")}\n    keepalive 32;`)
      .replace("listen 80;", `listen 127.0.0.1:${port};`);
    writeFileSync(
      join(prefix, "nginx.conf"),
      `worker_processes 1; pid ${prefix}/nginx.pid; error_log ${prefix}/error.log;
       events { worker_connections 256; }
       http { access_log off; client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; ${site} }`,
    );
    const nginx = spawn(NGINX, ["-p", prefix, "-c", join(prefix, "nginx.conf"), "-g", "daemon off; user root;"], {
      stdio: "ignore",
    });
    const clients: MurmurClient[] = [];
    try {
      const url = `http://127.0.0.1:${port}`;
      await until(() => existsSync(join(prefix, "nginx.pid")), 10_000);
      const anon = createMurmurClient({ url });
      clients.push(anon);
      const ann = await anon.api.auth.register.mutate({
        username: "ann_nginx",
        email: "ann@n.test",
        password: "long enough pw",
      });
      const bo = await anon.api.auth.register.mutate({
        username: "bo_nginx",
        email: "bo@n.test",
        password: "long enough pw",
      });
      const annClient = createMurmurClient({ url, token: ann.token });
      const boClient = createMurmurClient({ url, token: bo.token });
      clients.push(annClient, boClient);
      const room = await annClient.api.rooms.create.mutate({ name: "through nginx" });
      await boClient.api.rooms.join.mutate({ roomId: room.id });
      const feed = watchRoom(boClient, { roomId: room.id });
      await feed.started;
      for (let i = 0; i < 10; i++) {
        await annClient.api.messages.send.mutate({
          roomId: room.id,
          content: `via nginx ${i}`,
          clientMessageId: clientId(),
        });
      }
      await until(() => feed.items.length === 10);
      expect(feed.items.map((m) => m.data.content)).toEqual(Array.from({ length: 10 }, (_, i) => `via nginx ${i}`));

      const pids = new Set<number>();
      for (let i = 0; i < 20 && pids.size < 2; i++) {
        pids.add(((await (await fetch(`${url}/healthz`)).json()) as { pid: number }).pid);
      }
      expect(pids.size).toBe(2);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      nginx.kill("SIGTERM");
      await Promise.all(backends.map((b) => b.stop("SIGKILL")));
      await fresh.drop();
    }
  }, 60_000);
});
