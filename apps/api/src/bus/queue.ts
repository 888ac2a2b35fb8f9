/**
 * A bounded buffer between bus listeners (push) and a subscription's generator (pull).
 * A consumer that falls `capacity` events behind is cut off rather than left to grow memory;
 * its client reconnects and resumes from its last event id.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private waiter: (() => void) | undefined;
  private failure: Error | undefined;
  private done = false;

  constructor(
    private readonly capacity: number,
    signal: AbortSignal,
  ) {
    // A subscription stopped while it was still setting up hands over an already-aborted signal.
    if (signal.aborted) this.done = true;
    else signal.addEventListener("abort", () => this.end(), { once: true });
  }

  push(item: T): void {
    if (this.done) return;
    if (this.items.length >= this.capacity) {
      this.fail(new Error("Subscriber fell too far behind; reconnect to resume"));
      return;
    }
    this.items.push(item);
    this.wake();
  }

  fail(error: Error): void {
    this.failure ??= error;
    this.end();
  }

  end(): void {
    this.done = true;
    this.wake();
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  /** Whether the consumer is waiting in take() with nothing left to take. */
  get idle(): boolean {
    return this.waiter !== undefined && this.items.length === 0 && !this.done;
  }

  /** The next item, or undefined once the queue has ended; throws if the consumer was cut off. */
  async take(): Promise<T | undefined> {
    for (;;) {
      if (this.failure) throw this.failure;
      const next = this.items.shift();
      if (next !== undefined) return next;
      if (this.done) return undefined;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
      });
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (let next = await this.take(); next !== undefined; next = await this.take()) yield next;
  }
}
