import type { DmMessage, Message } from "@murmur/api-contract";
import { newClientMessageId } from "./messages";

export type OutboxTarget = { kind: "room"; roomId: string } | { kind: "dm"; peerId: string };
export type OutboxStatus = "queued" | "sending" | "failed";

/** A message the server has not acknowledged yet. Plain JSON, so it survives a reload in localStorage. */
export interface OutboxItem {
  clientMessageId: string;
  target: OutboxTarget;
  content: string;
  createdAt: number;
  status: OutboxStatus;
  error: string | null;
}

export type Delivered = { kind: "room"; message: Message } | { kind: "dm"; message: DmMessage };

export type DeliveryResult =
  | { kind: "sent"; delivered: Delivered }
  | { kind: "offline" }
  | { kind: "rate-limited"; retryAfterMs: number }
  | { kind: "failed"; error: string };

export interface OutboxSnapshot {
  items: readonly OutboxItem[];
  /** Why queued messages are not going out right now. */
  blocked: null | "offline" | "rate-limited";
  /** While rate-limited: when the server will take messages again (epoch ms). */
  retryAt: number | null;
}

type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

const MAX_BACKOFF_MS = 15_000;

export const sameTarget = (a: OutboxTarget, b: OutboxTarget) =>
  a.kind === "room" ? b.kind === "room" && a.roomId === b.roomId : b.kind === "dm" && a.peerId === b.peerId;

function isOutboxItem(value: unknown): value is OutboxItem {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  const t = v.target as Record<string, unknown> | null | undefined;
  const targetOk =
    typeof t === "object" &&
    t !== null &&
    ((t.kind === "room" && typeof t.roomId === "string") || (t.kind === "dm" && typeof t.peerId === "string"));
  return (
    targetOk &&
    typeof v.clientMessageId === "string" &&
    typeof v.content === "string" &&
    typeof v.createdAt === "number" &&
    (v.status === "queued" || v.status === "sending" || v.status === "failed")
  );
}

/**
 * Every outgoing message goes through here, one at a time and in order, so messages typed while
 * offline leave in the order they were written once the connection is back. Each keeps its
 * clientMessageId for life: resending after a lost response stores nothing twice. The queue is
 * shared with the user's other tabs through localStorage (read-modify-write on every change).
 */
export class Outbox {
  private snapshot: OutboxSnapshot = { items: [], blocked: null, retryAt: null };
  private key: string | null = null;
  private deliver: ((item: OutboxItem) => Promise<DeliveryResult>) | null = null;
  private online = true;
  private waitingForNetwork = false;
  private backoffMs = 0;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly deliveredListeners = new Set<(delivered: Delivered) => void>();

  constructor(
    private readonly storage: StorageLike | null,
    private readonly clock: () => number = Date.now,
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  getSnapshot = () => this.snapshot;

  onDelivered(listener: (delivered: Delivered) => void): () => void {
    this.deliveredListeners.add(listener);
    return () => void this.deliveredListeners.delete(listener);
  }

  get storageKey() {
    return this.key;
  }

  /** Loads this user's queue. A send cut short by a reload is simply sent again (same clientMessageId). */
  open(userId: string) {
    this.key = `murmur:outbox:${userId}`;
    this.mutate((items) => items.map((i) => (i.status === "sending" ? { ...i, status: "queued" } : i)));
  }

  /** `forget` on log-out: the next person at this browser must not inherit the queue. */
  close({ forget }: { forget: boolean }) {
    if (forget && this.key) this.safely(() => this.storage?.removeItem(this.key ?? ""));
    this.key = null;
    this.deliver = null;
    clearTimeout(this.timer);
    this.set({ items: [], blocked: null, retryAt: null });
  }

  /** Another tab changed the queue. */
  syncFromStorage() {
    this.set({ items: this.read() });
    this.kick();
  }

  setDeliver(deliver: ((item: OutboxItem) => Promise<DeliveryResult>) | null) {
    this.deliver = deliver;
    this.kick();
  }

  setOnline(online: boolean) {
    if (online === this.online) return;
    this.online = online;
    if (online) {
      this.waitingForNetwork = false;
      this.backoffMs = 0;
    }
    this.kick();
  }

  add(target: OutboxTarget, content: string): OutboxItem {
    const item: OutboxItem = {
      clientMessageId: newClientMessageId(),
      target,
      content,
      createdAt: this.clock(),
      status: "queued",
      error: null,
    };
    this.mutate((items) => [...items, item]);
    this.kick();
    return item;
  }

  retry(clientMessageId: string) {
    this.update(clientMessageId, { status: "queued", error: null });
    this.kick();
  }

  discard(clientMessageId: string) {
    this.mutate((items) => items.filter((i) => i.clientMessageId !== clientMessageId));
  }

  kick() {
    void this.run();
  }

  private async run() {
    if (this.running || !this.deliver || !this.key) return;
    this.running = true;
    try {
      for (;;) {
        const now = this.clock();
        if (!this.online || this.waitingForNetwork) return this.set({ blocked: "offline" });
        const { retryAt } = this.snapshot;
        if (retryAt !== null && retryAt > now) {
          this.wakeIn(retryAt - now);
          return this.set({ blocked: "rate-limited" });
        }
        const next = this.snapshot.items.find((i) => i.status === "queued");
        if (!next) return this.set({ blocked: null, retryAt: null });
        this.set({ blocked: null, retryAt: null });
        this.update(next.clientMessageId, { status: "sending" });
        const result = await this.attempt(next);
        if (!this.key) return;
        if (result.kind === "sent") {
          this.backoffMs = 0;
          for (const listener of this.deliveredListeners) listener(result.delivered);
          this.discard(next.clientMessageId);
        } else if (result.kind === "offline") {
          this.update(next.clientMessageId, { status: "queued" });
          this.waitingForNetwork = true;
          this.backoffMs = Math.min(Math.max(1_000, this.backoffMs * 2), MAX_BACKOFF_MS);
          this.wakeIn(this.backoffMs, () => (this.waitingForNetwork = false));
        } else if (result.kind === "rate-limited") {
          this.update(next.clientMessageId, { status: "queued" });
          this.set({ retryAt: this.clock() + result.retryAfterMs });
        } else {
          this.update(next.clientMessageId, { status: "failed", error: result.error });
        }
      }
    } finally {
      this.running = false;
    }
  }

  private async attempt(item: OutboxItem): Promise<DeliveryResult> {
    try {
      return this.deliver ? await this.deliver(item) : { kind: "offline" };
    } catch {
      return { kind: "failed", error: "Something went wrong. Please try again." };
    }
  }

  private wakeIn(ms: number, before?: () => void) {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      before?.();
      this.kick();
    }, ms);
  }

  private update(clientMessageId: string, patch: Partial<OutboxItem>) {
    this.mutate((items) => items.map((i) => (i.clientMessageId === clientMessageId ? { ...i, ...patch } : i)));
  }

  private mutate(change: (items: OutboxItem[]) => OutboxItem[]) {
    if (!this.key) return;
    const next = change(this.read());
    this.safely(() => {
      if (next.length === 0) this.storage?.removeItem(this.key ?? "");
      else this.storage?.setItem(this.key ?? "", JSON.stringify(next));
    });
    this.set({ items: next });
  }

  private read(): OutboxItem[] {
    if (!this.key || !this.storage) return [...this.snapshot.items];
    const raw = this.safely(() => this.storage?.getItem(this.key ?? ""));
    if (raw === undefined) return [...this.snapshot.items];
    if (!raw) return [];
    try {
      const parsed: unknown = JSON.parse(raw);
      return Array.isArray(parsed) ? parsed.filter(isOutboxItem) : [];
    } catch {
      return [];
    }
  }

  /** Storage can be full, disabled or forbidden; the queue then lives in memory only. */
  private safely<T>(action: () => T): T | undefined {
    try {
      return action();
    } catch {
      return undefined;
    }
  }

  private set(patch: Partial<OutboxSnapshot>) {
    const next = { ...this.snapshot, ...patch };
    const s = this.snapshot;
    if (next.items === s.items && next.blocked === s.blocked && next.retryAt === s.retryAt) return;
    this.snapshot = next;
    for (const listener of this.listeners) listener();
  }
}

function browserStorage(): StorageLike | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

export const outbox = new Outbox(browserStorage());
