import { changePasswordInput, LIMITS } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { appCodeOf, errorMessage, fieldErrorsOf } from "../../lib/errors";
import { issuesByField } from "../../lib/validation";
import { trpc } from "../../trpc";
import { FormField } from "../FormField";

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
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    setDone(null);
    const parsed = changePasswordInput.safeParse({ currentPassword, newPassword });
    if (!parsed.success) {
      setFieldErrors(issuesByField(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    try {
      const result = await change.mutateAsync(parsed.data);
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
      setFieldErrors(fields);
      if (Object.keys(fields).length === 0) setFormError(errorMessage(error));
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate className="settings-form">
      {formError && (
        <p className="form-error" role="alert">
          {formError}
        </p>
      )}
      {done && (
        <p className="form-success" role="status" data-testid="change-password-done">
          {done}
        </p>
      )}
      <FormField label="Current password" error={fieldErrors.currentPassword}>
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="current-password"
            maxLength={LIMITS.passwordMax}
            value={currentPassword}
            onChange={(e) => setCurrent(e.target.value)}
            data-testid="change-password-current"
          />
        )}
      </FormField>
      <FormField
        label="New password"
        error={fieldErrors.newPassword}
        hint={`At least ${LIMITS.passwordMin} characters. Your other sessions will be signed out.`}
      >
        {(props) => (
          <input
            {...props}
            type="password"
            autoComplete="new-password"
            maxLength={LIMITS.passwordMax}
            value={newPassword}
            onChange={(e) => setNew(e.target.value)}
            data-testid="change-password-new"
          />
        )}
      </FormField>
      <button
        type="submit"
        className="button button-primary"
        disabled={change.isPending}
        data-testid="change-password-submit"
      >
        {change.isPending ? "Changing…" : "Change password"}
      </button>
    </form>
  );
}
