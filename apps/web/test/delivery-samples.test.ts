import { DELIVERY_REPORT } from "@murmur/api-contract";
import { describe, expect, it } from "vitest";
import { DeliverySampler, REPORT_INTERVAL_MS } from "../src/lib/delivery-samples";

/** A sampler on a hand-driven clock. */
function setup() {
  let now = 1_000;
  const sampler = new DeliverySampler({ now: () => now });
  const advance = (ms: number) => void (now += ms);
  /** Sends one message, lets `ms` pass, and receives it back. */
  const roundTrip = (id: string, ms: number) => {
    sampler.sent(id);
    advance(ms);
    return sampler.received(id);
  };
  return { sampler, advance, roundTrip };
}

describe("measuring delivery time", () => {
  it("records the time from sending a message until its clientMessageId comes back", () => {
    const { sampler, roundTrip } = setup();
    expect(roundTrip("m1", 42)).toBe(42);
    expect(sampler.takeReport()).toEqual([42]);
  });

  it("ignores messages this client did not send", () => {
    const { sampler } = setup();
    expect(sampler.received("someone-elses")).toBeNull();
    expect(sampler.received(null)).toBeNull();
    expect(sampler.received(undefined)).toBeNull();
    expect(sampler.takeReport()).toBeNull();
  });

  it("counts a message only once even if the stream delivers it twice", () => {
    const { sampler, advance, roundTrip } = setup();
    roundTrip("m1", 10);
    advance(5);
    expect(sampler.received("m1")).toBeNull();
    expect(sampler.takeReport()).toEqual([10]);
  });

  it("keeps the first send time when the same message is retried", () => {
    const { sampler, advance } = setup();
    sampler.sent("m1");
    advance(300);
    sampler.sent("m1");
    advance(20);
    expect(sampler.received("m1")).toBe(320);
  });

  it("drops round trips longer than the server accepts", () => {
    const { sampler, roundTrip } = setup();
    expect(roundTrip("slow", DELIVERY_REPORT.maxMs + 1)).toBeNull();
    expect(roundTrip("edge", DELIVERY_REPORT.maxMs)).toBe(DELIVERY_REPORT.maxMs);
    expect(sampler.takeReport()).toEqual([DELIVERY_REPORT.maxMs]);
  });

  it("forgets sends that never came back once they are too old to be a sample", () => {
    const { sampler, advance } = setup();
    sampler.sent("lost");
    advance(DELIVERY_REPORT.maxMs + 1);
    sampler.sent("next");
    expect(sampler.inFlight).toBe(1);
  });

  it("rounds samples to whole milliseconds", () => {
    const { roundTrip } = setup();
    expect(roundTrip("m1", 12.6)).toBe(13);
  });
});

describe("reporting samples", () => {
  it("has nothing to report before any message came back", () => {
    const { sampler } = setup();
    sampler.sent("m1");
    expect(sampler.takeReport()).toBeNull();
  });

  it("reports at most once every 15 seconds", () => {
    const { sampler, advance, roundTrip } = setup();
    roundTrip("a", 1);
    expect(sampler.takeReport()).toEqual([1]);
    roundTrip("b", 2);
    advance(REPORT_INTERVAL_MS - 10);
    expect(sampler.takeReport()).toBeNull();
    advance(10);
    expect(sampler.takeReport()).toEqual([2]);
  });

  it("sends at most 100 samples per report and keeps the rest for the next one", () => {
    const { sampler, advance, roundTrip } = setup();
    for (let i = 0; i < 130; i++) roundTrip(`m${i}`, 1);
    expect(sampler.takeReport()).toHaveLength(DELIVERY_REPORT.maxSamples);
    expect(sampler.buffered).toBe(30);
    advance(REPORT_INTERVAL_MS);
    expect(sampler.takeReport()).toHaveLength(30);
    expect(sampler.buffered).toBe(0);
  });

  it("lets a page-hide flush skip the 15 second wait", () => {
    const { sampler, roundTrip } = setup();
    roundTrip("a", 1);
    sampler.takeReport();
    roundTrip("b", 2);
    expect(sampler.takeReport()).toBeNull();
    expect(sampler.takeReport({ flush: true })).toEqual([2]);
  });

  it("never makes more than 6 reports in any minute, even when flushing", () => {
    const { sampler, advance, roundTrip } = setup();
    let made = 0;
    for (let i = 0; i < 20; i++) {
      roundTrip(`m${i}`, 1);
      if (sampler.takeReport({ flush: true })) made++;
    }
    expect(made).toBe(DELIVERY_REPORT.reportsPerMinute);
    advance(60_000);
    expect(sampler.takeReport({ flush: true })).not.toBeNull();
  });

  it("does not hand out the same samples twice", () => {
    const { sampler, advance, roundTrip } = setup();
    roundTrip("a", 5);
    expect(sampler.takeReport()).toEqual([5]);
    advance(REPORT_INTERVAL_MS);
    expect(sampler.takeReport()).toBeNull();
  });

  it("starts from nothing after a reset", () => {
    const { sampler, roundTrip } = setup();
    roundTrip("a", 5);
    sampler.sent("b");
    sampler.reset();
    expect(sampler.buffered).toBe(0);
    expect(sampler.inFlight).toBe(0);
    expect(sampler.received("b")).toBeNull();
  });
});
