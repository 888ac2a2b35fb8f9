import cluster from "node:cluster";
import { createServer } from "node:http";
import { AggregatorRegistry } from "prom-client";
import { TYPING_TTL_MS } from "@murmur/api-contract";
import { createDb } from "@murmur/db";
import { loadEnv, type Env } from "./env";
import { createMemoryInfrastructure, createRedisInfrastructure } from "./infrastructure";
import { createLogger } from "./logger";
import { register } from "./metrics";
import { DEFAULT_CONFIG, createMurmurServer } from "./server";

let env: Env;
try {
  env = loadEnv();
} catch (error) {
  // No logger exists before the environment is read; say what is wrong and stop.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const log = createLogger({ level: env.LOG_LEVEL, pretty: env.LOG_PRETTY === "1" || env.NODE_ENV === "development" });

/** Prometheus on its own port (keep it off the public network); with workers, the primary sums them all. */
function serveMetricsPort(port: number, host: string, source: () => Promise<{ body: string; contentType: string }>) {
  createServer((req, res) => {
    if ((req.url ?? "").split("?")[0] !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    source().then(
      ({ body, contentType }) => res.writeHead(200, { "content-type": contentType }).end(body),
      (err: unknown) => {
        log.error({ err }, "metrics collection failed");
        res.writeHead(500).end();
      },
    );
  }).listen(port, host, () => log.info({ port }, "metrics listening"));
}

if (env.MURMUR_WORKERS > 1 && cluster.isPrimary) {
  if (env.METRICS_PORT) {
    const aggregator = new AggregatorRegistry();
    serveMetricsPort(env.METRICS_PORT, env.HOST, async () => ({
      body: await aggregator.clusterMetrics(),
      contentType: aggregator.contentType,
    }));
  }
  // The workers share the port through node:cluster; each has its own database pool and Redis clients.
  let stopping = false;
  log.info({ workers: env.MURMUR_WORKERS }, "starting workers");
  for (let i = 0; i < env.MURMUR_WORKERS; i++) cluster.fork();
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log.error({ pid: worker.process.pid, code, signal }, "worker died; starting another");
    cluster.fork();
  });
  const stopAll = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
  };
  process.on("SIGTERM", stopAll);
  process.on("SIGINT", stopAll);
} else {
  if (env.METRICS_PORT && cluster.isPrimary) {
    serveMetricsPort(env.METRICS_PORT, env.HOST, async () => ({
      body: await register.metrics(),
      contentType: register.contentType,
    }));
  }
  await serve(env);
}

async function serve(env: Env) {
  const database = await createDb({
    databaseUrl: env.DATABASE_URL,
    dataDir: env.MURMUR_DATA_DIR,
    poolSize: env.DATABASE_POOL_SIZE,
  });
  log.info({ driver: database.driver }, "database ready");
  const infrastructure = env.REDIS_URL
    ? createRedisInfrastructure({ url: env.REDIS_URL, prefix: env.REDIS_PREFIX, log, typingTtlMs: TYPING_TTL_MS })
    : createMemoryInfrastructure();
  await infrastructure.ready();

  const server = createMurmurServer({
    database,
    log,
    infrastructure,
    webDist: env.MURMUR_WEB_DIST,
    config: {
      prices: { privateRoom: env.ROOM_PRICE_PRIVATE, superSecretRoom: env.ROOM_PRICE_SUPER_SECRET },
      rateLimits: {
        ...DEFAULT_CONFIG.rateLimits,
        messagesPerMinute: env.MESSAGE_RATE_PER_MINUTE,
        registrationsPerIpPerHour: env.REGISTRATIONS_PER_IP_PER_HOUR,
      },
      allowedOrigins: env.ALLOWED_ORIGINS,
      trustProxy: env.TRUST_PROXY === "1",
      metricsToken: env.METRICS_TOKEN ?? null,
      pushSubject: env.PUSH_SUBJECT,
    },
  });
  const { url } = await server.listen(env.PORT, env.HOST);
  log.info({ url, infrastructure: infrastructure.kind }, "Murmur is listening");

  let stopping = false;
  async function shutdown(signal: string) {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "shutting down");
    await server.close();
    await infrastructure.close();
    await database.close();
    log.info("stopped");
    process.exit(0);
  }
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}
