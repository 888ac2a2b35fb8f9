import { errorMessage } from "../../lib/errors";
import { trpc } from "../../trpc";
import { Avatar } from "../Avatar";
import { FormError } from "../FormError";

export function BlockedUsers() {
  const utils = trpc.useUtils();
  const blocked = trpc.dm.blocked.useQuery();
  const unblock = trpc.dm.unblock.useMutation({ onSuccess: () => void utils.dm.blocked.invalidate() });

  if (blocked.isPending) return <p className="panel-note">Loading…</p>;
  if (blocked.error) {
    return (
      <p className="panel-note" role="alert">
        {errorMessage(blocked.error)}
      </p>
    );
  }
  if (blocked.data.length === 0) return <p className="panel-note">You haven't blocked anyone.</p>;

  return (
    <>
      <FormError>{unblock.error && errorMessage(unblock.error)}</FormError>
      <ul className="settings-list" data-testid="blocked-list">
        {blocked.data.map((user) => (
          <li key={user.id} className="settings-item" data-testid="blocked-user" data-user-id={user.id}>
            <Avatar name={user.username} size="sm" />
            <span className="settings-item-title">{user.username}</span>
            <button
              type="button"
              className="button button-secondary button-small"
              disabled={unblock.isPending}
              onClick={() => unblock.mutate({ userId: user.id })}
              aria-label={`Unblock ${user.username}`}
              data-testid="unblock-button"
            >
              Unblock
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
