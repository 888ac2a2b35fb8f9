import { useId, type ComponentProps, type ReactNode } from "react";

interface FieldProps {
  label: string;
  error?: string | undefined;
  hint?: ReactNode;
}

/** The attributes FormField hands to its control, wiring it to the label, hint and error. */
type ControlWiring = { id: string; "aria-invalid": boolean; "aria-describedby": string | undefined };

/** A control's own attributes: everything except what FormField wires up. */
type ControlProps<Tag extends "input" | "textarea"> = Omit<ComponentProps<Tag>, keyof ControlWiring | "children">;

interface FormFieldProps extends FieldProps {
  /** Renders the control, wired to the label, hint and error by id. */
  children: (props: ControlWiring) => ReactNode;
}

export function FormField({ label, error, hint, children }: FormFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = error ? errorId : hint ? hintId : undefined;
  return (
    <div className={`field${error ? " has-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": describedBy })}
      {hint && !error && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** A labelled `<input>`; every other prop goes to the input. */
export function TextField({ label, error, hint, ...input }: FieldProps & ControlProps<"input">) {
  return (
    <FormField label={label} error={error} hint={hint}>
      {(wiring) => <input {...wiring} {...input} />}
    </FormField>
  );
}

/** A labelled password input. */
export function PasswordField(props: FieldProps & Omit<ControlProps<"input">, "type">) {
  return <TextField {...props} type="password" />;
}

/** A labelled `<textarea>`; every other prop goes to the textarea. */
export function TextAreaField({ label, error, hint, ...textarea }: FieldProps & ControlProps<"textarea">) {
  return (
    <FormField label={label} error={error} hint={hint}>
      {(wiring) => <textarea {...wiring} {...textarea} />}
    </FormField>
  );
}
