import { apiDir, benchDir } from "../paths";
import { startServerProcess, type ServerProcess } from "./process";

export interface MurmurServerOptions {
  /** Postgres; without it the embedded PGlite database in `dataDir` is used. */
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
  redisUrl?: string | undefined;
  workers?: number;
  nodeFlags?: string[];
  /** Writes a V8 CPU profile into this folder when the server exits. */
  cpuProfileDir?: string | undefined;
  /** Opens an inspector, for idle memory after a full collection and history's GC pauses (a single process only). */
  inspect?: boolean;
}

/** Starts apps/api the way an operator does (its build: `pnpm bench` builds it first), with the per-user limits lifted so load is not refused. */
export function startMurmur(options: MurmurServerOptions): Promise<ServerProcess> {
  const profile = options.cpuProfileDir ? ["--cpu-prof", "--cpu-prof-dir", options.cpuProfileDir] : [];
  return startServerProcess({
    name: "murmur",
    cwd: apiDir,
    args: [...profile, ...(options.nodeFlags ?? []), "--enable-source-maps", "dist/main.js"],
    healthPath: "/healthz",
    inspect: options.inspect === true && (options.workers ?? 1) <= 1,
    env: {
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      DATABASE_URL: options.databaseUrl ?? "",
      MURMUR_DATA_DIR: options.dataDir ?? "memory://",
      REDIS_URL: options.redisUrl ?? "",
      MURMUR_WORKERS: String(options.workers ?? 1),
      // The web app is not under test; pointing at the bench folder keeps the server from serving it.
      MURMUR_WEB_DIST: `${benchDir}/no-web-dist`,
      MESSAGE_RATE_PER_MINUTE: "1000000",
      REGISTRATIONS_PER_IP_PER_HOUR: "1000000",
    },
  });
}
