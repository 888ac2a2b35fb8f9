import type { AppRouter } from "@murmur/client";
import { TRPCClientError } from "@trpc/client";
import { expect } from "vitest";

/** Awaits a call that must be refused and returns the refusal's codes and message. */
export async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => {
      throw new Error("expected the call to be refused");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TRPCClientError);
  const { data, message } = error as TRPCClientError<AppRouter>;
  return { code: data?.code, appCode: data?.appCode, message };
}
