import { useCallback, useEffect, useRef } from "react";
import { appCodeOf } from "../lib/errors";
import { onSessionLost } from "../trpc";

const MAX_DELAY_MS = 30_000;

/**
 * The socket link resubscribes by itself after a dropped connection; this covers the rarer case of
 * the server ending a stream with an error, which would otherwise leave the app deaf until reload.
 * Returns the error handler and a `succeeded` callback that resets the backoff.
 */
export function useRestartOnError(restart: () => void) {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const attempts = useRef(0);
  const restartRef = useRef(restart);
  useEffect(() => {
    restartRef.current = restart;
  });
  useEffect(() => () => clearTimeout(timer.current), []);

  const onError = useCallback((error: unknown) => {
    if (appCodeOf(error) === "NOT_AUTHENTICATED") {
      onSessionLost(error);
      return;
    }
    clearTimeout(timer.current);
    const delay = Math.min(1_000 * 2 ** attempts.current, MAX_DELAY_MS);
    attempts.current += 1;
    timer.current = setTimeout(() => restartRef.current(), delay);
  }, []);

  const succeeded = useCallback(() => {
    attempts.current = 0;
  }, []);

  return { onError, succeeded };
}
