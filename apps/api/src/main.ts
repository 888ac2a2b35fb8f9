import { createDb } from "@murmur/db";
import { loadEnv, type Env } from "./env";
import { createLogger } from "./logger";
import { createMurmurServer } from "./server";

let env: Env;
try {
  env = loadEnv();
} catch (error) {
  // No logger exists before the environment is read; say what is wrong and stop.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
const log = createLogger({ level: env.LOG_LEVEL, pretty: env.LOG_PRETTY === "1" || env.NODE_ENV === "development" });

const database = await createDb({
  databaseUrl: env.DATABASE_URL,
  dataDir: env.MURMUR_DATA_DIR,
  poolSize: env.DATABASE_POOL_SIZE,
});
log.info({ driver: database.driver }, "database ready");

const server = createMurmurServer({
  database,
  log,
  webDist: env.MURMUR_WEB_DIST,
  config: {
    prices: { privateRoom: env.ROOM_PRICE_PRIVATE, superSecretRoom: env.ROOM_PRICE_SUPER_SECRET },
    trustProxy: env.TRUST_PROXY === "1",
  },
});
const { url } = await server.listen(env.PORT, env.HOST);
log.info({ url }, "Murmur is listening");

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "shutting down");
  await server.close();
  await database.close();
  log.info("stopped");
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
