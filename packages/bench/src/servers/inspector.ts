import WebSocket from "ws";

/** The flag that opens a server's inspector on a free loopback port; it prints where. */
export const INSPECT_FLAG = "--inspect=127.0.0.1:0";

export const inspectorUrlIn = (output: string): string | null =>
  /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(output)?.[1] ?? null;

/**
 * A full garbage collection that also hands freed memory back to the system, asked of a Node.js
 * process through its inspector: what V8's memory reducer does by itself once a process has been
 * quiet for a while (30–60 s here), done at once so every server is measured in the same state.
 */
export async function collectGarbage(inspectorUrl: string, timeoutMs = 30_000): Promise<void> {
  const socket = new WebSocket(inspectorUrl);
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error("the inspector did not collect garbage in time")), timeoutMs);
      socket.once("error", reject);
      socket.once("close", () => reject(new Error("the inspector closed before collecting garbage")));
      socket.on("message", (data: Buffer) => {
        const reply = JSON.parse(data.toString("utf8")) as { id?: number; error?: { message: string } };
        if (reply.id !== 1) return;
        if (reply.error) reject(new Error(reply.error.message));
        else resolve();
      });
      socket.once("open", () => socket.send(JSON.stringify({ id: 1, method: "HeapProfiler.collectGarbage" })));
    });
  } finally {
    clearTimeout(timer);
    socket.close();
  }
}
