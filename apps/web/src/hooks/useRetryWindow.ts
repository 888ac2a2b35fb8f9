import { useCallback, useState } from "react";
import { retryAfterMsOf } from "../lib/errors";
import { useCountdown } from "./useCountdown";

/**
 * After a TOO_MANY_REQUESTS answer: the seconds left before trying again is allowed, counted down
 * from the server's `retryAfterMs`. `secondsLeft` is null when there is no wait in force.
 */
export function useRetryWindow() {
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const seconds = useCountdown(retryAt);
  const noteError = useCallback((error: unknown) => {
    const wait = retryAfterMsOf(error);
    setRetryAt(wait === null ? null : Date.now() + wait);
  }, []);
  const clear = useCallback(() => setRetryAt(null), []);
  return { secondsLeft: seconds, waiting: seconds !== null && seconds > 0, noteError, clear };
}
