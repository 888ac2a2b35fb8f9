import type { ReactNode } from "react";

/** What went wrong with a form as a whole (not one field), announced as an alert; nothing when there is none. */
export function FormError({ children, testId }: { children: ReactNode; testId?: string }) {
  if (!children) return null;
  return (
    <p className="form-error" role="alert" data-testid={testId}>
      {children}
    </p>
  );
}
