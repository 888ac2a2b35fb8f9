import type { AppErrorCode } from "@murmur/api-contract";
import { TRPCError } from "@trpc/server";

type TrpcCode = ConstructorParameters<typeof TRPCError>[0]["code"];

/** A refusal the client is meant to understand: a tRPC code plus Murmur's own reason. */
export class AppError extends TRPCError {
  constructor(
    code: TrpcCode,
    readonly appCode: AppErrorCode,
    message: string,
    readonly details: { retryAfterMs?: number } = {},
  ) {
    super({ code, message });
  }
}

/** A send repeated a clientMessageId with different content or to a different conversation. */
export const clientMessageIdReused = () =>
  new AppError("CONFLICT", "CLIENT_MESSAGE_ID_REUSED", "clientMessageId was already used for a different message");

export const notAMember = () => new AppError("FORBIDDEN", "NOT_A_MEMBER", "You are not a member of this room");

/** The name of the unique constraint a failed insert broke, from either database driver. */
export function uniqueViolation(error: unknown): string | null {
  for (let e: unknown = error; e instanceof Error || (typeof e === "object" && e !== null);) {
    const fields = e as { code?: unknown; constraint?: unknown; constraint_name?: unknown; cause?: unknown };
    if (fields.code === "23505") {
      const name = fields.constraint_name ?? fields.constraint;
      return typeof name === "string" ? name : "";
    }
    e = fields.cause;
  }
  return null;
}
