import type { Room } from "@murmur/api-contract";
import { LIMITS } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { useJoinDialogCallbacks } from "../hooks/useJoinedRoom";
import { errorWithWait } from "../lib/errors";
import { trpc } from "../trpc";
import { Dialog } from "./Dialog";
import { DialogActions, SubmitButton } from "./FormButtons";
import { FormError } from "./FormError";
import { PasswordField } from "./FormField";

/** Joining a private room from the directory: it is listed, but the door needs its password. */
export function JoinPasswordDialog({ room, onClose }: { room: Pick<Room, "id" | "name">; onClose: () => void }) {
  const { retry, callbacks } = useJoinDialogCallbacks(onClose);
  const join = trpc.rooms.join.useMutation(callbacks);
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
        <FormError testId="join-error">{join.error && errorWithWait(join.error, retry.secondsLeft)}</FormError>
        <PasswordField
          label="Room password"
          autoComplete="off"
          maxLength={LIMITS.passwordMax}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="join-password-input"
        />
        <DialogActions onCancel={onClose}>
          <SubmitButton
            pending={join.isPending}
            pendingLabel="Joining…"
            disabled={!password || retry.waiting}
            testId="join-password-submit"
          >
            Join room
          </SubmitButton>
        </DialogActions>
      </form>
    </Dialog>
  );
}
