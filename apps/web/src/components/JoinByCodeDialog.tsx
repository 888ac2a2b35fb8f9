import { joinByCodeInput, LIMITS } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { useFormErrors } from "../hooks/useFormErrors";
import { useJoinDialogCallbacks } from "../hooks/useJoinedRoom";
import { errorWithWait } from "../lib/errors";
import { trpc } from "../trpc";
import { Dialog } from "./Dialog";
import { DialogActions, SubmitButton } from "./FormButtons";
import { FormError } from "./FormError";
import { PasswordField, TextField } from "./FormField";

/** The only way into a super-secret room (and a shortcut into a private one): its code and password. */
export function JoinByCodeDialog({ onClose }: { onClose: () => void }) {
  const { retry, callbacks } = useJoinDialogCallbacks(onClose);
  const join = trpc.rooms.joinByCode.useMutation(callbacks);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const { fieldErrors, validate } = useFormErrors();

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (retry.waiting) return;
    const input = validate(joinByCodeInput, { code, password });
    if (input) join.mutate(input);
  }

  return (
    <Dialog title="Join by code" onClose={onClose} testId="join-code-dialog">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <p className="dialog-text">Ask a member for the room's code and password.</p>
        <FormError testId="join-error">{join.error && errorWithWait(join.error, retry.secondsLeft)}</FormError>
        <TextField
          label="Room code"
          error={fieldErrors.code}
          hint={`${LIMITS.roomCodeLength} letters and digits`}
          className="code-input"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={LIMITS.roomCodeLength + 4}
          placeholder="ABCD2345"
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          data-testid="join-code-input"
        />
        <PasswordField
          label="Room password"
          error={fieldErrors.password}
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
            disabled={retry.waiting}
            testId="join-code-submit"
          >
            Join room
          </SubmitButton>
        </DialogActions>
      </form>
    </Dialog>
  );
}
