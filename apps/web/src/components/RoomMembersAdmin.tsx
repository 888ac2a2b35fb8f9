import type { RoomMember, RoomRole } from "@murmur/api-contract";
import { errorMessage } from "../lib/errors";
import { trpc } from "../trpc";
import { Avatar } from "./Avatar";
import { FormError } from "./FormError";

/** Owners promote, demote and remove anyone but themselves; moderators remove plain members. */
export function RoomMembersAdmin({ roomId, myRole, meId }: { roomId: string; myRole: RoomRole; meId: string }) {
  const utils = trpc.useUtils();
  const members = trpc.rooms.members.useQuery({ roomId });
  const refresh = () => {
    void utils.rooms.members.invalidate({ roomId });
    void utils.rooms.get.invalidate({ roomId });
  };
  const setRole = trpc.rooms.setRole.useMutation({ onSuccess: refresh });
  const kick = trpc.rooms.kick.useMutation({ onSuccess: refresh });
  const error = setRole.error ?? kick.error;
  const busy = setRole.isPending || kick.isPending;

  const canKick = (m: RoomMember) =>
    m.user.id !== meId && (myRole === "owner" ? m.role !== "owner" : myRole === "moderator" && m.role === "member");

  if (members.isPending) return <p className="panel-note">Loading members…</p>;
  if (members.error) {
    return (
      <p className="panel-note" role="alert">
        {errorMessage(members.error)}
      </p>
    );
  }

  return (
    <>
      <FormError>{error && errorMessage(error)}</FormError>
      <ul className="admin-members" data-testid="admin-member-list">
        {members.data.map((m) => (
          <li key={m.user.id} className="admin-member" data-testid="admin-member" data-user-id={m.user.id}>
            <Avatar name={m.user.username} size="sm" online={m.user.isOnline} />
            <span className="admin-member-name">
              {m.user.username}
              {m.user.id === meId && <span className="member-you"> (you)</span>}
            </span>
            <span className={`role-badge role-${m.role}`}>{m.role}</span>
            <span className="admin-member-actions">
              {myRole === "owner" && m.role === "member" && (
                <button
                  type="button"
                  className="button button-secondary button-small"
                  disabled={busy}
                  onClick={() => setRole.mutate({ roomId, userId: m.user.id, role: "moderator" })}
                  aria-label={`Make ${m.user.username} a moderator`}
                  data-testid="promote-button"
                >
                  Promote
                </button>
              )}
              {myRole === "owner" && m.role === "moderator" && (
                <button
                  type="button"
                  className="button button-secondary button-small"
                  disabled={busy}
                  onClick={() => setRole.mutate({ roomId, userId: m.user.id, role: "member" })}
                  aria-label={`Make ${m.user.username} a regular member`}
                  data-testid="demote-button"
                >
                  Demote
                </button>
              )}
              {canKick(m) && (
                <button
                  type="button"
                  className="button button-danger-ghost button-small"
                  disabled={busy}
                  onClick={() => kick.mutate({ roomId, userId: m.user.id })}
                  aria-label={`Remove ${m.user.username} from the room`}
                  data-testid="kick-button"
                >
                  Kick
                </button>
              )}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
