import { benchDir } from "../paths";
import { startServerProcess, type ServerProcess } from "./process";

export function startSocketIoBaseline(databaseUrl: string): Promise<ServerProcess> {
  return startServerProcess({
    name: "socketio",
    cwd: benchDir,
    args: ["--import", "tsx", "src/baselines/socketio-server.ts"],
    healthPath: "/healthz",
    env: { NODE_ENV: "production", DATABASE_URL: databaseUrl },
    inspect: true,
  });
}

export function startWsBaseline(): Promise<ServerProcess> {
  return startServerProcess({
    name: "ws",
    cwd: benchDir,
    args: ["--import", "tsx", "src/baselines/ws-server.ts"],
    healthPath: "/healthz",
    env: { NODE_ENV: "production" },
    inspect: true,
  });
}
