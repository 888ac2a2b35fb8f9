/**
 * Machine-readable reasons carried in a tRPC error's `data.appCode`, next to the tRPC code,
 * so clients can tell "username taken" from "email taken" without parsing messages.
 */
export const APP_ERROR_CODES = [
  "USERNAME_TAKEN",
  "EMAIL_TAKEN",
  "INVALID_CREDENTIALS",
  "NOT_AUTHENTICATED",
  "ROOM_NOT_FOUND",
  "NOT_A_MEMBER",
  "ROOM_FULL",
  "ALREADY_MEMBER",
  "BAD_CURSOR",
  "CLIENT_MESSAGE_ID_REUSED",
  "USER_NOT_FOUND",
  "CANNOT_MESSAGE_SELF",
  "DM_REFUSED",
  "YOU_BLOCKED_USER",
  "INSUFFICIENT_CREDITS",
  "WRONG_PASSWORD",
  "BAD_CODE_OR_PASSWORD",
  "NOT_ALLOWED",
  "RATE_LIMITED",
  "SESSION_NOT_FOUND",
  "ORIGIN_REFUSED",
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];
