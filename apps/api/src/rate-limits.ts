import { DELIVERY_REPORT } from "@murmur/api-contract";
import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { AppError } from "./errors";
import { metrics } from "./metrics";

export interface RateLimitConfig {
  /** Messages (room and DM together) per user per minute. */
  messagesPerMinute: number;
  /** Wrong room passwords or codes allowed per user, and per IP, per window. */
  roomPasswordPerUser: number;
  roomPasswordPerIp: number;
  roomPasswordWindowSeconds: number;
  /** Failed logins per account: a short and a long window, so repeated guessing backs off further. */
  loginFailuresPerAccountShort: number;
  loginFailuresPerAccountLong: number;
  loginFailuresPerIp: number;
  registrationsPerIpPerHour: number;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  messagesPerMinute: 30,
  roomPasswordPerUser: 10,
  roomPasswordPerIp: 30,
  roomPasswordWindowSeconds: 600,
  loginFailuresPerAccountShort: 5,
  loginFailuresPerAccountLong: 20,
  loginFailuresPerIp: 100,
  registrationsPerIpPerHour: 20,
};

export const tooManyRequests = (msBeforeNext: number, what = "attempts") =>
  new AppError(
    "TOO_MANY_REQUESTS",
    "RATE_LIMITED",
    `Too many ${what}; try again in ${Math.max(1, Math.ceil(msBeforeNext / 1000))} seconds`,
    { retryAfterMs: Math.max(1, Math.round(msBeforeNext)) },
  );

/** A limiter factory: in memory by default, shared through Redis when several processes serve one site. */
export type LimiterFactory = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = (options) => new RateLimiterMemory(options);

type Scoped = { limiter: RateLimiterAbstract; points: number; scope: string };

/**
 * Counts failures only: callers check before trying and record a failure after one, so honest
 * users are never slowed and guessers are stopped after a few wrong answers from any key.
 */
export class FailureLimiter {
  constructor(
    private readonly name: string,
    private readonly limiters: Scoped[],
  ) {}

  async assertAllowed(keys: Record<string, string>): Promise<void> {
    let wait = 0;
    for (const { limiter, points, scope } of this.limiters) {
      const key = keys[scope];
      if (!key) continue;
      const state = await limiter.get(key);
      if (state && state.consumedPoints >= points) wait = Math.max(wait, state.msBeforeNext);
    }
    if (wait > 0) {
      metrics.rateLimitRefusals.inc({ limit: this.name });
      throw tooManyRequests(wait);
    }
  }

  async recordFailure(keys: Record<string, string>): Promise<void> {
    for (const { limiter, scope } of this.limiters) {
      const key = keys[scope];
      if (key) await limiter.consume(key).catch(ignoreLimitReached);
    }
  }

  /** A success forgets the key's failures (the account's, not the IP's). */
  async forget(keys: Record<string, string>, scopes: string[]): Promise<void> {
    for (const { limiter, scope } of this.limiters) {
      const key = keys[scope];
      if (key && scopes.includes(scope)) await limiter.delete(key);
    }
  }
}

function ignoreLimitReached(rejection: unknown) {
  if (!(rejection instanceof RateLimiterRes)) throw rejection;
}

/** Every call counts; past the limit the call is refused with the time to wait. */
export class CallLimiter {
  constructor(
    private readonly name: string,
    private readonly limiter: RateLimiterAbstract,
    private readonly what: string,
  ) {}

  async consume(key: string): Promise<void> {
    try {
      await this.limiter.consume(key);
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        metrics.rateLimitRefusals.inc({ limit: this.name });
        throw tooManyRequests(rejection.msBeforeNext, this.what);
      }
      throw rejection;
    }
  }
}

export function createRateLimits(config: RateLimitConfig, make: LimiterFactory = memoryLimiters) {
  const window = config.roomPasswordWindowSeconds;
  return {
    messages: new CallLimiter(
      "messages",
      make({ keyPrefix: "msg", points: config.messagesPerMinute, duration: 60 }),
      "messages",
    ),
    reports: new CallLimiter(
      "delivery-reports",
      make({ keyPrefix: "reports", points: DELIVERY_REPORT.reportsPerMinute, duration: 60 }),
      "delivery reports",
    ),
    registrations: new CallLimiter(
      "registrations",
      make({ keyPrefix: "register-ip", points: config.registrationsPerIpPerHour, duration: 3600 }),
      "sign-ups from this address",
    ),
    logins: new FailureLimiter("logins", [
      {
        scope: "account",
        points: config.loginFailuresPerAccountShort,
        limiter: make({ keyPrefix: "login-account-1m", points: config.loginFailuresPerAccountShort, duration: 60 }),
      },
      {
        scope: "account",
        points: config.loginFailuresPerAccountLong,
        limiter: make({ keyPrefix: "login-account-1h", points: config.loginFailuresPerAccountLong, duration: 3600 }),
      },
      {
        scope: "ip",
        points: config.loginFailuresPerIp,
        limiter: make({ keyPrefix: "login-ip", points: config.loginFailuresPerIp, duration: 3600 }),
      },
    ]),
    roomPassword: new FailureLimiter("room-passwords", [
      {
        scope: "user",
        points: config.roomPasswordPerUser,
        limiter: make({ keyPrefix: "room-pw-user", points: config.roomPasswordPerUser, duration: window }),
      },
      {
        scope: "ip",
        points: config.roomPasswordPerIp,
        limiter: make({ keyPrefix: "room-pw-ip", points: config.roomPasswordPerIp, duration: window }),
      },
    ]),
  };
}

export type RateLimits = ReturnType<typeof createRateLimits>;
