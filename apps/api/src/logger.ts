import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(options: { level: string; pretty: boolean }): Logger {
  return pino({
    level: options.level,
    redact: { paths: ["password", "*.password", "token", "*.token", "req.headers.cookie"], remove: true },
    ...(options.pretty ? { transport: { target: "pino-pretty", options: { colorize: true } } } : {}),
  });
}
