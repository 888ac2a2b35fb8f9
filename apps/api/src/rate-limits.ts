import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "./errors";

export interface RateLimitConfig {
  /** Wrong room passwords or codes allowed per user, and per IP, per window. */
  roomPasswordPerUser: number;
  roomPasswordPerIp: number;
  roomPasswordWindowSeconds: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  roomPasswordPerUser: 10,
  roomPasswordPerIp: 30,
  roomPasswordWindowSeconds: 600,
};

export const tooManyAttempts = (msBeforeNext: number) =>
  new AppError(
    "TOO_MANY_REQUESTS",
    "RATE_LIMITED",
    `Too many attempts; try again in ${Math.ceil(msBeforeNext / 1000)} seconds`,
    { retryAfterMs: msBeforeNext },
  );

/**
 * Counts failures only: callers check before trying and record a failure after one, so honest
 * users are never slowed and guessers are stopped after a few wrong answers from any key.
 */
export class FailureLimiter {
  constructor(private readonly limiters: { limiter: RateLimiterAbstract; points: number; scope: string }[]) {}

  async assertAllowed(keys: Record<string, string>): Promise<void> {
    for (const { limiter, points, scope } of this.limiters) {
      const key = keys[scope];
      if (!key) continue;
      const state = await limiter.get(key);
      if (state && state.consumedPoints >= points) throw tooManyAttempts(state.msBeforeNext);
    }
  }

  async recordFailure(keys: Record<string, string>): Promise<void> {
    for (const { limiter, scope } of this.limiters) {
      const key = keys[scope];
      if (!key) continue;
      await limiter.consume(key).catch((rejection: unknown) => {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
      });
    }
  }
}

export function createRateLimits(config: RateLimitConfig) {
  const window = config.roomPasswordWindowSeconds;
  return {
    roomPassword: new FailureLimiter([
      {
        scope: "user",
        points: config.roomPasswordPerUser,
        limiter: new RateLimiterMemory({
          keyPrefix: "room-pw-user",
          points: config.roomPasswordPerUser,
          duration: window,
        }),
      },
      {
        scope: "ip",
        points: config.roomPasswordPerIp,
        limiter: new RateLimiterMemory({ keyPrefix: "room-pw-ip", points: config.roomPasswordPerIp, duration: window }),
      },
    ]),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
