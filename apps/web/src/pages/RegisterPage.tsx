import { LIMITS, registerInput } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { AuthLayout } from "../components/AuthLayout";
import { FormField } from "../components/FormField";
import { useSession } from "../hooks/useSession";
import { errorMessage, fieldErrorsOf } from "../lib/errors";
import { issuesByField } from "../lib/validation";
import { trpc } from "../trpc";

export function RegisterPage() {
  const { startSession } = useSession();
  const register = trpc.auth.register.useMutation();
  const [values, setValues] = useState({ username: "", email: "", password: "" });
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const set = (field: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.target.value }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const parsed = registerInput.safeParse(values);
    if (!parsed.success) {
      setFieldErrors(issuesByField(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    try {
      const result = await register.mutateAsync(parsed.data);
      await startSession(result.user);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      setFieldErrors(fields);
      if (Object.keys(fields).length === 0) setFormError(errorMessage(error));
    }
  }

  return (
    <AuthLayout title="Create your account" subtitle="Pick a name people will see. Your email stays private.">
      <form className="auth-form" onSubmit={onSubmit} noValidate>
        {formError && (
          <p className="form-error" role="alert" data-testid="register-error">
            {formError}
          </p>
        )}
        <FormField
          label="Username"
          error={fieldErrors.username}
          hint={`${LIMITS.usernameMin}–${LIMITS.usernameMax} letters, digits or underscores`}
        >
          {(props) => (
            <input
              {...props}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              maxLength={LIMITS.usernameMax}
              autoFocus
              value={values.username}
              onChange={set("username")}
              data-testid="register-username"
            />
          )}
        </FormField>
        <FormField label="Email" error={fieldErrors.email}>
          {(props) => (
            <input
              {...props}
              name="email"
              type="email"
              autoComplete="email"
              maxLength={LIMITS.emailMax}
              value={values.email}
              onChange={set("email")}
              data-testid="register-email"
            />
          )}
        </FormField>
        <FormField label="Password" error={fieldErrors.password} hint={`At least ${LIMITS.passwordMin} characters`}>
          {(props) => (
            <input
              {...props}
              name="password"
              type="password"
              autoComplete="new-password"
              value={values.password}
              onChange={set("password")}
              data-testid="register-password"
            />
          )}
        </FormField>
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={register.isPending}
          data-testid="register-submit"
        >
          {register.isPending ? "Creating account…" : "Create account"}
        </button>
      </form>
      <p className="auth-switch">
        Already have an account?{" "}
        <Link href="/login" data-testid="login-link">
          Log in
        </Link>
      </p>
    </AuthLayout>
  );
}
