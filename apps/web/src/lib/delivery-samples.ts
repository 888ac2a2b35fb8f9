import { DELIVERY_REPORT } from "@murmur/api-contract";

/**
 * Client-measured delivery time: from handing a message to the server until this client's own
 * live stream brings it back. Pure (the clock is injected) so it can be tested in plain Node; the
 * browser wiring lives in `live/useDeliveryReporter.ts`.
 */

/** The shortest gap between two regular reports. */
export const REPORT_INTERVAL_MS = 15_000;
/** The server's budget is per user per minute; this tab never spends all of it alone. */
const WINDOW_MS = 60_000;
/** A send not seen back within this long would be dropped as a sample anyway. */
const PENDING_TTL_MS = DELIVERY_REPORT.maxMs;
/** Bounds memory if reports keep failing or the stream never echoes our sends. */
const MAX_PENDING = 500;
const MAX_BUFFERED = 5 * DELIVERY_REPORT.maxSamples;

export interface DeliverySamplerOptions {
  /** Milliseconds on a monotonic clock; `performance.now()` in the browser. */
  now?: () => number;
  intervalMs?: number;
  maxSamples?: number;
  maxMs?: number;
  reportsPerMinute?: number;
}

export class DeliverySampler {
  private readonly now: () => number;
  private readonly intervalMs: number;
  private readonly maxSamples: number;
  private readonly maxMs: number;
  private readonly reportsPerMinute: number;
  private readonly pending = new Map<string, number>();
  private samples: number[] = [];
  private reportTimes: number[] = [];

  constructor(options: DeliverySamplerOptions = {}) {
    this.now = options.now ?? (() => performance.now());
    this.intervalMs = options.intervalMs ?? REPORT_INTERVAL_MS;
    this.maxSamples = options.maxSamples ?? DELIVERY_REPORT.maxSamples;
    this.maxMs = options.maxMs ?? DELIVERY_REPORT.maxMs;
    this.reportsPerMinute = options.reportsPerMinute ?? DELIVERY_REPORT.reportsPerMinute;
  }

  /**
   * A message is being sent. A retry of the same message (same clientMessageId) keeps the first
   * time, so a send whose response was lost still counts from when it really left.
   */
  sent(clientMessageId: string) {
    const at = this.now();
    this.expire(at);
    if (this.pending.has(clientMessageId)) return;
    if (this.pending.size >= MAX_PENDING) {
      const oldest = this.pending.keys().next().value;
      if (oldest !== undefined) this.pending.delete(oldest);
    }
    this.pending.set(clientMessageId, at);
  }

  /**
   * A message arrived on this client's live stream. Returns the round trip in ms when it was one
   * of our sends (and kept as a sample), else null. Each send is measured once.
   */
  received(clientMessageId: string | null | undefined): number | null {
    if (!clientMessageId) return null;
    const sentAt = this.pending.get(clientMessageId);
    if (sentAt === undefined) return null;
    this.pending.delete(clientMessageId);
    const ms = Math.max(0, Math.round(this.now() - sentAt));
    if (ms > this.maxMs) return null;
    if (this.samples.length >= MAX_BUFFERED) this.samples.shift();
    this.samples.push(ms);
    return ms;
  }

  /**
   * The samples to report now, or null when there is nothing to send or it is too soon: regular
   * reports are at least `intervalMs` apart; `flush` (the page is being hidden) skips that wait.
   * Either way there are never more than `reportsPerMinute` reports in any minute, and never more
   * than `maxSamples` samples in one (the rest wait for the next report). Taken samples are gone:
   * a report that fails is not retried.
   */
  takeReport({ flush = false }: { flush?: boolean } = {}): number[] | null {
    const at = this.now();
    if (this.samples.length === 0) return null;
    this.reportTimes = this.reportTimes.filter((t) => at - t < WINDOW_MS);
    if (this.reportTimes.length >= this.reportsPerMinute) return null;
    const last = this.reportTimes[this.reportTimes.length - 1];
    if (!flush && last !== undefined && at - last < this.intervalMs) return null;
    this.reportTimes.push(at);
    return this.samples.splice(0, this.maxSamples);
  }

  /** How many samples wait to be reported. */
  get buffered(): number {
    return this.samples.length;
  }

  /** How many sends wait to come back. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** A new session starts from nothing. */
  reset() {
    this.pending.clear();
    this.samples = [];
    this.reportTimes = [];
  }

  private expire(at: number) {
    for (const [id, sentAt] of this.pending) {
      if (at - sentAt <= PENDING_TTL_MS) break; // insertion order is time order
      this.pending.delete(id);
    }
  }
}

export const deliverySamples = new DeliverySampler();
