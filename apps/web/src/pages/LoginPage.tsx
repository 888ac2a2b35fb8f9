import { loginInput } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { AuthLayout } from "../components/AuthLayout";
import { SubmitButton } from "../components/FormButtons";
import { FormError } from "../components/FormError";
import { PasswordField, TextField } from "../components/FormField";
import { useFormErrors } from "../hooks/useFormErrors";
import { useSession } from "../hooks/useSession";
import { appCodeOf } from "../lib/errors";
import { trpc } from "../trpc";

export function LoginPage() {
  const { startSession } = useSession();
  const login = trpc.auth.login.useMutation();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const { fieldErrors, formError, validate, showServerError } = useFormErrors();

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const input = validate(loginInput, { username, password });
    if (!input) return;
    try {
      const result = await login.mutateAsync(input);
      await startSession(result.user);
    } catch (error) {
      showServerError(error, { alsoAboveForm: appCodeOf(error) === "INVALID_CREDENTIALS" });
    }
  }

  return (
    <AuthLayout title="Welcome back" subtitle="Log in to pick up the conversation.">
      <form className="auth-form" onSubmit={onSubmit} noValidate>
        <FormError testId="login-error">{formError}</FormError>
        <TextField
          label="Username or email"
          error={fieldErrors.username}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          data-testid="login-username"
        />
        <PasswordField
          label="Password"
          error={fieldErrors.password}
          name="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          data-testid="login-password"
        />
        <SubmitButton pending={login.isPending} pendingLabel="Logging in…" block testId="login-submit">
          Log in
        </SubmitButton>
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
