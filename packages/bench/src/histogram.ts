/**
 * A fixed-bucket latency histogram: load processes send theirs to the parent, which merges them,
 * so percentiles are exact to the bucket over every recipient rather than averaged per process.
 * Resolution: 10 µs below 100 ms, 1 ms below 10 s, 100 ms up to 70 s.
 */
const FINE_LIMIT = 100;
const MID_LIMIT = 10_000;
const FINE_BUCKETS = FINE_LIMIT * 100;
const MID_BUCKETS = MID_LIMIT - FINE_LIMIT;
const COARSE_BUCKETS = 600;

export type SparseHistogram = Record<string, number>;

function bucketOf(ms: number): number {
  if (ms < 0) return 0;
  if (ms < FINE_LIMIT) return Math.floor(ms * 100);
  if (ms < MID_LIMIT) return FINE_BUCKETS + Math.floor(ms - FINE_LIMIT);
  return FINE_BUCKETS + MID_BUCKETS + Math.min(COARSE_BUCKETS, Math.floor((ms - MID_LIMIT) / 100));
}

function valueOf(bucket: number): number {
  if (bucket < FINE_BUCKETS) return (bucket + 0.5) / 100;
  if (bucket < FINE_BUCKETS + MID_BUCKETS) return FINE_LIMIT + (bucket - FINE_BUCKETS) + 0.5;
  return MID_LIMIT + (bucket - FINE_BUCKETS - MID_BUCKETS) * 100 + 50;
}

export class Histogram {
  private readonly counts = new Map<number, number>();
  private total = 0;
  private maxSeen = 0;

  record(ms: number): void {
    const bucket = bucketOf(ms);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
    this.total++;
    if (ms > this.maxSeen) this.maxSeen = ms;
  }

  get count(): number {
    return this.total;
  }

  get max(): number {
    return this.maxSeen;
  }

  toSparse(): SparseHistogram {
    const out: SparseHistogram = { max: this.maxSeen };
    for (const [bucket, n] of this.counts) out[String(bucket)] = n;
    return out;
  }

  /** One histogram of every sample in `parts`. */
  static fromSparse(...parts: SparseHistogram[]): Histogram {
    const histogram = new Histogram();
    for (const part of parts) histogram.merge(part);
    return histogram;
  }

  merge(sparse: SparseHistogram): void {
    for (const [key, n] of Object.entries(sparse)) {
      if (key === "max") {
        if (n > this.maxSeen) this.maxSeen = n;
        continue;
      }
      const bucket = Number(key);
      this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + n);
      this.total += n;
    }
  }

  /** The value below which `p` percent of samples fall; null without samples. */
  percentile(p: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket) ?? 0;
      if (seen >= rank) return Math.min(valueOf(bucket), this.maxSeen);
    }
    return this.maxSeen;
  }
}
