import { loginInput } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { AuthLayout } from "../components/AuthLayout";
import { FormField } from "../components/FormField";
import { useSession } from "../hooks/useSession";
import { appCodeOf, errorMessage, fieldErrorsOf } from "../lib/errors";
import { issuesByField } from "../lib/validation";
import { trpc } from "../trpc";

export function LoginPage() {
  const { startSession } = useSession();
  const login = trpc.auth.login.useMutation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [formError, setFormError] = useState<string | null>(null);

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    setFormError(null);
    const parsed = loginInput.safeParse({ username, password });
    if (!parsed.success) {
      setFieldErrors(issuesByField(parsed.error.issues));
      return;
    }
    setFieldErrors({});
    try {
      const result = await login.mutateAsync(parsed.data);
      await startSession(result.user);
    } catch (error) {
      const fields = fieldErrorsOf(error);
      setFieldErrors(fields);
      if (Object.keys(fields).length === 0 || appCodeOf(error) === "INVALID_CREDENTIALS")
        setFormError(errorMessage(error));
    }
  }

  return (
    <AuthLayout title="Welcome back" subtitle="Log in to pick up the conversation.">
      <form className="auth-form" onSubmit={onSubmit} noValidate>
        {formError && (
          <p className="form-error" role="alert" data-testid="login-error">
            {formError}
          </p>
        )}
        <FormField label="Username or email" error={fieldErrors.username}>
          {(props) => (
            <input
              {...props}
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              value={username}
              onChange={(e) => setUsername(e.target.value)}
              data-testid="login-username"
            />
          )}
        </FormField>
        <FormField label="Password" error={fieldErrors.password}>
          {(props) => (
            <input
              {...props}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="login-password"
            />
          )}
        </FormField>
        <button
          type="submit"
          className="button button-primary button-block"
          disabled={login.isPending}
          data-testid="login-submit"
        >
          {login.isPending ? "Logging in…" : "Log in"}
        </button>
      </form>
      <p className="auth-switch">
        New here?{" "}
        <Link href="/register" data-testid="register-link">
          Create an account
        </Link>
      </p>
    </AuthLayout>
  );
}
