/** Sizes shared by the database columns, the API's validation and the web's forms. */
export const LIMITS = {
  usernameMin: 3,
  usernameMax: 32,
  emailMax: 254,
  passwordMin: 8,
  passwordMax: 256,
  roomNameMin: 1,
  roomNameMax: 64,
  roomDescriptionMax: 500,
  roomCategoryMax: 32,
  roomCodeLength: 8,
  roomSearchMax: 64,
  messageMax: 4000,
  clientMessageIdMax: 64,
  historyPageDefault: 50,
  historyPageMax: 100,
  roomPageSize: 30,
  memberPageMax: 200,
  memberLimitDefault: 100,
  memberLimitMin: 2,
  memberLimitMax: 1000,
  roomPasswordMin: 4,
} as const;

export const USERNAME_PATTERN = /^[A-Za-z0-9_]+$/;

/** Client-measured delivery times: at most this many per report, each at most a minute. */
export const DELIVERY_REPORT = { maxSamples: 100, maxMs: 60_000, reportsPerMinute: 6 } as const;
