import { useEffect } from "react";
import { deliverySamples, REPORT_INTERVAL_MS } from "../lib/delivery-samples";
import { trpc } from "../trpc";

/**
 * Sends this tab's delivery-time samples to the server every REPORT_INTERVAL_MS, and whatever is
 * left when the page is hidden. Measuring is best effort: a failed report is dropped silently
 * (the raw client bypasses the app's mutation cache, so it never logs anyone out either).
 */
export function useDeliveryReporter(userId: string) {
  const utils = trpc.useUtils();

  useEffect(() => {
    deliverySamples.reset();
    const report = (flush: boolean) => {
      const samplesMs = deliverySamples.takeReport({ flush });
      if (!samplesMs) return;
      utils.client.metrics.reportDelivery.mutate({ samplesMs }).catch(() => undefined);
    };
    const timer = setInterval(() => report(false), REPORT_INTERVAL_MS);
    const onHide = () => {
      if (document.visibilityState === "hidden") report(true);
    };
    const onPageHide = () => report(true);
    document.addEventListener("visibilitychange", onHide);
    window.addEventListener("pagehide", onPageHide);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onHide);
      window.removeEventListener("pagehide", onPageHide);
      deliverySamples.reset();
    };
  }, [userId, utils]);
}
