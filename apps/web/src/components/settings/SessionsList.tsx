import { errorMessage } from "../../lib/errors";
import { fullDateTime, relativeTime } from "../../lib/time";
import { trpc } from "../../trpc";
import { FormError } from "../FormError";

export function SessionsList() {
  const utils = trpc.useUtils();
  const sessions = trpc.auth.sessions.useQuery();
  const revoke = trpc.auth.revokeSession.useMutation({ onSettled: () => void utils.auth.sessions.invalidate() });
  const list = [...(sessions.data ?? [])].sort(
    (a, b) => Number(b.current) - Number(a.current) || b.createdAt.getTime() - a.createdAt.getTime(),
  );
  const others = list.filter((s) => !s.current);

  if (sessions.isPending) return <p className="panel-note">Loading sessions…</p>;
  if (sessions.error) {
    return (
      <p className="panel-note" role="alert">
        {errorMessage(sessions.error)}
      </p>
    );
  }

  return (
    <>
      <FormError>{revoke.error && errorMessage(revoke.error)}</FormError>
      <ul className="settings-list" data-testid="session-list">
        {list.map((s) => (
          <li key={s.id} className="settings-item" data-testid="session-item" data-current={s.current}>
            <div className="settings-item-text">
              <span className="settings-item-title">
                {s.current ? "This browser" : "Another session"}
                {s.current && <span className="chip">Current</span>}
              </span>
              <span className="settings-item-meta">
                Signed in <time title={fullDateTime(s.createdAt)}>{relativeTime(s.createdAt)}</time> · expires{" "}
                <time title={fullDateTime(s.expiresAt)}>{relativeTime(s.expiresAt)}</time>
              </span>
            </div>
            {!s.current && (
              <button
                type="button"
                className="button button-secondary button-small"
                disabled={revoke.isPending}
                onClick={() => revoke.mutate({ sessionId: s.id })}
                data-testid="revoke-session-button"
              >
                Sign out
              </button>
            )}
          </li>
        ))}
      </ul>
      {others.length === 0 && <p className="panel-note">You're not signed in anywhere else.</p>}
    </>
  );
}
