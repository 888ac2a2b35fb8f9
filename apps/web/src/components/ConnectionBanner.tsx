import { useConnectionBanner } from "../hooks/useConnectionBanner";

const TEXT = {
  connecting: "Connecting…",
  offline: "Offline — trying to reconnect…",
  reconnected: "Reconnected",
} as const;

export function ConnectionBanner() {
  const state = useConnectionBanner();
  return (
    <div className="connection-region" role="status" aria-live="polite">
      {state !== "hidden" && (
        <div className={`connection-banner is-${state}`} data-testid="connection-banner" data-state={state}>
          {TEXT[state]}
        </div>
      )}
    </div>
  );
}
