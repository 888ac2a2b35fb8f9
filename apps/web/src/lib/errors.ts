import type { AppErrorCode } from "@murmur/api-contract";
import { TRPCClientError } from "@trpc/client";

interface ErrorData {
  code?: string;
  httpStatus?: number;
  appCode?: AppErrorCode | null;
  retryAfterMs?: number | null;
  fieldErrors?: { path: string[]; message: string }[] | null;
}

function dataOf(error: unknown): ErrorData | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data: unknown = error.data;
  return typeof data === "object" && data !== null ? (data as ErrorData) : null;
}

export const appCodeOf = (error: unknown): AppErrorCode | null => dataOf(error)?.appCode ?? null;

export const trpcCodeOf = (error: unknown): string | null => dataOf(error)?.code ?? null;

/** For TOO_MANY_REQUESTS: how long the server asks us to wait, in milliseconds. */
export const retryAfterMsOf = (error: unknown): number | null => dataOf(error)?.retryAfterMs ?? null;

/** The request never got an answer: the server is down or the network is. */
export const isNetworkError = (error: unknown): boolean => error instanceof TRPCClientError && !dataOf(error);

/** A proxy or a restarting server answering for a moment; worth another try later. */
export function isTransient(error: unknown): boolean {
  if (isNetworkError(error)) return true;
  const status = dataOf(error)?.httpStatus;
  return status === 502 || status === 503 || status === 504;
}

/** "45 s" for short waits, "10 min" for long ones. */
export const waitText = (seconds: number) => (seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`);

/**
 * Like `errorMessage`, but a rate limit says how long to wait in whole seconds, counted down by
 * the caller from `retryAt` so the number stays true while it is on screen.
 */
export function errorWithWait(error: unknown, secondsLeft: number | null): string {
  if (trpcCodeOf(error) === "TOO_MANY_REQUESTS" && secondsLeft !== null) {
    return secondsLeft > 0 ? `Too many attempts. Try again in ${waitText(secondsLeft)}.` : "You can try again now.";
  }
  return errorMessage(error);
}

/** Server answers (4xx) won't change on retry; network failures and 5xx might. */
export function isRetryable(error: unknown): boolean {
  const status = dataOf(error)?.httpStatus;
  return status === undefined || status >= 500;
}

/** A sentence fit for the UI: the server's own message, or a plain one when it was never reached. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    if (!dataOf(error)) return "Can't reach the server. Check your connection and try again.";
    return error.message;
  }
  return "Something went wrong. Please try again.";
}

/** Field name → first message, from validation issues and from app codes that belong to a field. */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const data = dataOf(error);
  const out: Record<string, string> = {};
  for (const issue of data?.fieldErrors ?? []) {
    const field = issue.path[0];
    if (field && !out[field]) out[field] = issue.message;
  }
  if (data?.appCode === "USERNAME_TAKEN" && error instanceof Error) out.username = error.message;
  if (data?.appCode === "EMAIL_TAKEN" && error instanceof Error) out.email = error.message;
  return out;
}
