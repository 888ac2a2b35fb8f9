import { benchDir } from "../paths";
import { startServerProcess, type ServerProcess } from "./process";

/** `inspect`: open an inspector, for idle memory after a full collection. */
export function startSocketIoBaseline(databaseUrl: string, inspect: boolean): Promise<ServerProcess> {
  return startServerProcess({
    name: "socketio",
    cwd: benchDir,
    args: ["--import", "tsx", "src/baselines/socketio-server.ts"],
    healthPath: "/healthz",
    env: { NODE_ENV: "production", DATABASE_URL: databaseUrl },
    inspect,
  });
}

export function startWsBaseline(inspect: boolean): Promise<ServerProcess> {
  return startServerProcess({
    name: "ws",
    cwd: benchDir,
    args: ["--import", "tsx", "src/baselines/ws-server.ts"],
    healthPath: "/healthz",
    env: { NODE_ENV: "production" },
    inspect,
  });
}
