import type { ReactNode } from "react";
import { Dialog } from "./Dialog";
import { DialogActions } from "./FormButtons";
import { FormError } from "./FormError";

interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  busy?: boolean;
  error?: string | null;
  onConfirm: () => void;
  onClose: () => void;
  testId?: string;
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  danger = false,
  busy = false,
  error = null,
  onConfirm,
  onClose,
  testId,
}: ConfirmDialogProps) {
  return (
    <Dialog title={title} onClose={onClose} testId={testId}>
      <div className="dialog-body">
        <FormError>{error}</FormError>
        <p className="dialog-text">{children}</p>
        <DialogActions onCancel={onClose}>
          <button
            type="button"
            className={`button ${danger ? "button-danger" : "button-primary"}`}
            onClick={onConfirm}
            disabled={busy}
            data-testid="confirm-button"
          >
            {confirmLabel}
          </button>
        </DialogActions>
      </div>
    </Dialog>
  );
}
