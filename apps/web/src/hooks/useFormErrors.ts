import { useState } from "react";
import { errorMessage, fieldErrorsOf } from "../lib/errors";
import { issuesByField } from "../lib/validation";

export type FieldErrors = Record<string, string>;

/** The part of a contract schema (zod) that forms use. */
interface InputSchema<T> {
  safeParse(
    input: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/**
 * A form's errors: per field (shown by FormField) and for the form as a whole (FormError), checked
 * first with the same schema the server uses, then set from the server's refusal.
 */
export function useFormErrors() {
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);

  /** Clears the last errors and parses `input`: its data, or null with the issues shown by field. */
  function validate<T>(schema: InputSchema<T>, input: unknown): T | null {
    setFormError(null);
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      setFieldErrors(issuesByField(parsed.error.issues));
      return null;
    }
    setFieldErrors({});
    return parsed.data;
  }

  /**
   * Shows a refusal from the server next to the fields it names, or above the form when it names
   * none (or when `alsoAboveForm`).
   */
  function showServerError(error: unknown, { fields = fieldErrorsOf(error), alsoAboveForm = false } = {}) {
    setFieldErrors(fields);
    if (Object.keys(fields).length === 0 || alsoAboveForm) setFormError(errorMessage(error));
  }

  return { fieldErrors, formError, setFieldErrors, setFormError, validate, showServerError };
}
