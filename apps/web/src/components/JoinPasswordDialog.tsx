import type { Room } from "@murmur/api-contract";
import { LIMITS } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { useJoinedRoom } from "../hooks/useJoinedRoom";
import { useRetryWindow } from "../hooks/useRetryWindow";
import { errorWithWait } from "../lib/errors";
import { trpc } from "../trpc";
import { Dialog } from "./Dialog";
import { FormField } from "./FormField";

/** Joining a private room from the directory: it is listed, but the door needs its password. */
export function JoinPasswordDialog({ room, onClose }: { room: Pick<Room, "id" | "name">; onClose: () => void }) {
  const onJoined = useJoinedRoom();
  const retry = useRetryWindow();
  const join = trpc.rooms.join.useMutation({
    onSuccess: (joined) => {
      onClose();
      onJoined(joined);
    },
    onError: retry.noteError,
  });
  const [password, setPassword] = useState("");

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!password || retry.waiting) return;
    join.mutate({ roomId: room.id, password });
  }

  return (
    <Dialog title={`Join #${room.name}`} onClose={onClose} testId="join-password-dialog">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <p className="dialog-text">This room is private. Enter its password to join.</p>
        {join.error && (
          <p className="form-error" role="alert" data-testid="join-error">
            {errorWithWait(join.error, retry.secondsLeft)}
          </p>
        )}
        <FormField label="Room password">
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="off"
              maxLength={LIMITS.passwordMax}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="join-password-input"
            />
          )}
        </FormField>
        <div className="dialog-actions">
          <button type="button" className="button button-ghost" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className="button button-primary"
            disabled={join.isPending || !password || retry.waiting}
            data-testid="join-password-submit"
          >
            {join.isPending ? "Joining…" : "Join room"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
