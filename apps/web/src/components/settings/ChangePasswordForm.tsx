import { changePasswordInput, LIMITS } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { useFormErrors } from "../../hooks/useFormErrors";
import { appCodeOf, errorMessage, fieldErrorsOf } from "../../lib/errors";
import { trpc } from "../../trpc";
import { SubmitButton } from "../FormButtons";
import { FormError } from "../FormError";
import { PasswordField } from "../FormField";

/** "field: message" from the server belongs next to that field. */
function splitFieldMessage(message: string): [string, string] | null {
  const match = /^(\w+): (.+)$/.exec(message);
  return match?.[1] && match[2] ? [match[1], match[2].charAt(0).toUpperCase() + match[2].slice(1)] : null;
}

export function ChangePasswordForm() {
  const utils = trpc.useUtils();
  const change = trpc.auth.changePassword.useMutation();
  const [currentPassword, setCurrent] = useState("");
  const [newPassword, setNew] = useState("");
  const { fieldErrors, formError, validate, showServerError } = useFormErrors();
  const [done, setDone] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setDone(null);
    const input = validate(changePasswordInput, { currentPassword, newPassword });
    if (!input) return;
    try {
      const result = await change.mutateAsync(input);
      setCurrent("");
      setNew("");
      setDone(
        result.endedSessions > 0
          ? `Password changed. ${result.endedSessions} other ${result.endedSessions === 1 ? "session was" : "sessions were"} signed out.`
          : "Password changed.",
      );
      void utils.auth.sessions.invalidate();
    } catch (error) {
      const fields = fieldErrorsOf(error);
      const split = appCodeOf(error) === "INVALID_CREDENTIALS" ? splitFieldMessage(errorMessage(error)) : null;
      if (split) fields[split[0]] = split[1];
      showServerError(error, { fields });
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="settings-form">
      <FormError>{formError}</FormError>
      {done && (
        <p className="form-success" role="status" data-testid="change-password-done">
          {done}
        </p>
      )}
      <PasswordField
        label="Current password"
        error={fieldErrors.currentPassword}
        autoComplete="current-password"
        maxLength={LIMITS.passwordMax}
        value={currentPassword}
        onChange={(e) => setCurrent(e.target.value)}
        data-testid="change-password-current"
      />
      <PasswordField
        label="New password"
        error={fieldErrors.newPassword}
        hint={`At least ${LIMITS.passwordMin} characters. Your other sessions will be signed out.`}
        autoComplete="new-password"
        maxLength={LIMITS.passwordMax}
        value={newPassword}
        onChange={(e) => setNew(e.target.value)}
        data-testid="change-password-new"
      />
      <SubmitButton pending={change.isPending} pendingLabel="Changing…" testId="change-password-submit">
        Change password
      </SubmitButton>
    </form>
  );
}
