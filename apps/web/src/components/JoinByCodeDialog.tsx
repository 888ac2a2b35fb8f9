import { joinByCodeInput, LIMITS } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { useJoinedRoom } from "../hooks/useJoinedRoom";
import { useRetryWindow } from "../hooks/useRetryWindow";
import { errorWithWait } from "../lib/errors";
import { issuesByField } from "../lib/validation";
import { trpc } from "../trpc";
import { Dialog } from "./Dialog";
import { FormField } from "./FormField";

/** The only way into a super-secret room (and a shortcut into a private one): its code and password. */
export function JoinByCodeDialog({ onClose }: { onClose: () => void }) {
  const onJoined = useJoinedRoom();
  const retry = useRetryWindow();
  const join = trpc.rooms.joinByCode.useMutation({
    onSuccess: (joined) => {
      onClose();
      onJoined(joined);
    },
    onError: retry.noteError,
  });
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (retry.waiting) return;
    const parsed = joinByCodeInput.safeParse({ code, password });
    if (!parsed.success) {
      setFieldErrors(issuesByField(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    join.mutate(parsed.data);
  }

  return (
    <Dialog title="Join by code" onClose={onClose} testId="join-code-dialog">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        <p className="dialog-text">Ask a member for the room's code and password.</p>
        {join.error && (
          <p className="form-error" role="alert" data-testid="join-error">
            {errorWithWait(join.error, retry.secondsLeft)}
          </p>
        )}
        <FormField label="Room code" error={fieldErrors.code} hint={`${LIMITS.roomCodeLength} letters and digits`}>
          {(props) => (
            <input
              {...props}
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
          )}
        </FormField>
        <FormField label="Room password" error={fieldErrors.password}>
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
            disabled={join.isPending || retry.waiting}
            data-testid="join-code-submit"
          >
            {join.isPending ? "Joining…" : "Join room"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
