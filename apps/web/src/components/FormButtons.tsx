import type { ReactNode } from "react";

interface SubmitButtonProps {
  /** The request is under way: the button is disabled and says `pendingLabel`. */
  pending: boolean;
  pendingLabel: string;
  /** Disabled for another reason, e.g. nothing to submit yet. */
  disabled?: boolean;
  /** Full width, as on the login and register pages. */
  block?: boolean;
  testId: string;
  children: ReactNode;
}

/** A form's primary submit button. */
export function SubmitButton({
  pending,
  pendingLabel,
  disabled = false,
  block = false,
  testId,
  children,
}: SubmitButtonProps) {
  return (
    <button
      type="submit"
      className={`button button-primary${block ? " button-block" : ""}`}
      disabled={pending || disabled}
      data-testid={testId}
    >
      {pending ? pendingLabel : children}
    </button>
  );
}

interface DialogActionsProps {
  onCancel: () => void;
  /** Focus Cancel first, for confirmations where the safe choice should be the default. */
  cancelAutoFocus?: boolean;
  /** The confirming button(s), after Cancel. */
  children: ReactNode;
}

/** The row that ends a dialog: Cancel, then the action. */
export function DialogActions({ onCancel, cancelAutoFocus = false, children }: DialogActionsProps) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button button-ghost" onClick={onCancel} autoFocus={cancelAutoFocus}>
        Cancel
      </button>
      {children}
    </div>
  );
}
