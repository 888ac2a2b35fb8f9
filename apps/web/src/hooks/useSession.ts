import type { Me } from "@murmur/api-contract";
import { useCallback } from "react";
import { useLocation } from "wouter";
import { clearDrafts } from "../lib/drafts";
import { appCodeOf } from "../lib/errors";
import { outbox } from "../lib/outbox";
import { forgetPushSubscription, pushSupported } from "../lib/push";
import { isMeQuery, queryClient, resetRealtime, trpc } from "../trpc";

/** Drops whatever the previous user's session had cached, keeping only the auth probe. */
const forgetEverythingButMe = () => queryClient.removeQueries({ predicate: (q) => !isMeQuery(q.queryKey) });

export function useSession() {
  const utils = trpc.useUtils();
  const [, navigate] = useLocation();
  const logoutMutation = trpc.auth.logout.useMutation();

  const startSession = useCallback(
    async (user: Me) => {
      await resetRealtime();
      forgetEverythingButMe();
      utils.auth.me.setData(undefined, user);
    },
    [utils],
  );

  const { mutateAsync: logoutAsync } = logoutMutation;
  const logout = useCallback(async () => {
    // While still signed in: the server only drops this device's subscription for its owner.
    if (pushSupported()) await forgetPushSubscription((endpoint) => utils.client.push.unsubscribe.mutate({ endpoint }));
    try {
      await logoutAsync();
    } catch (error) {
      // Already logged out elsewhere is still logged out; anything else leaves the session intact.
      if (appCodeOf(error) !== "NOT_AUTHENTICATED") return;
    }
    navigate("/");
    clearDrafts();
    outbox.close({ forget: true });
    await resetRealtime();
    forgetEverythingButMe();
    await utils.auth.me.reset();
  }, [logoutAsync, navigate, utils]);

  return { startSession, logout, loggingOut: logoutMutation.isPending, logoutError: logoutMutation.error };
}
