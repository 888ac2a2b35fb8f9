import { LIMITS, registerInput } from "@murmur/api-contract";
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { AuthLayout } from "../components/AuthLayout";
import { SubmitButton } from "../components/FormButtons";
import { FormError } from "../components/FormError";
import { PasswordField, TextField } from "../components/FormField";
import { useFormErrors } from "../hooks/useFormErrors";
import { useSession } from "../hooks/useSession";
import { trpc } from "../trpc";

export function RegisterPage() {
  const { startSession } = useSession();
  const register = trpc.auth.register.useMutation();
  const [values, setValues] = useState({ username: "", email: "", password: "" });
  const { fieldErrors, formError, validate, showServerError } = useFormErrors();

  const set = (field: keyof typeof values) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.target.value }));

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    const input = validate(registerInput, values);
    if (!input) return;
    try {
      const result = await register.mutateAsync(input);
      await startSession(result.user);
    } catch (error) {
      showServerError(error);
    }
  }

  return (
    <AuthLayout title="Create your account" subtitle="Pick a name people will see. Your email stays private.">
      <form className="auth-form" onSubmit={onSubmit} noValidate>
        <FormError testId="register-error">{formError}</FormError>
        <TextField
          label="Username"
          error={fieldErrors.username}
          hint={`${LIMITS.usernameMin}–${LIMITS.usernameMax} letters, digits or underscores`}
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
        <TextField
          label="Email"
          error={fieldErrors.email}
          name="email"
          type="email"
          autoComplete="email"
          maxLength={LIMITS.emailMax}
          value={values.email}
          onChange={set("email")}
          data-testid="register-email"
        />
        <PasswordField
          label="Password"
          error={fieldErrors.password}
          hint={`At least ${LIMITS.passwordMin} characters`}
          name="password"
          autoComplete="new-password"
          value={values.password}
          onChange={set("password")}
          data-testid="register-password"
        />
        <SubmitButton pending={register.isPending} pendingLabel="Creating account…" block testId="register-submit">
          Create account
        </SubmitButton>
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
