import type { ClientSpec } from "../protocol";

export interface Connection {
  /** Resolves once the server acknowledged the message (stored it, for the servers that store). */
  send(content: string): Promise<void>;
  readonly open: boolean;
  close(): void;
}

export interface DriverOptions {
  url: string;
  client: ClientSpec;
  /** Called with each delivered message's content, or the part of it that holds its stamp. */
  onContent(content: string): void;
  timeoutMs: number;
}

export type Driver = (options: DriverOptions) => Promise<Connection>;

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
