import type { ReactNode } from "react";

/** The part of a sidebar section every list shares: loading, a failure with a retry, or empty. */
export function SidebarList({
  query,
  what,
  empty,
  count,
  children,
}: {
  query: { isPending: boolean; error: unknown; refetch: () => Promise<unknown> };
  /** What failed to load, e.g. "your rooms". */
  what: string;
  empty: string;
  count: number;
  children: ReactNode;
}) {
  if (query.isPending) return <p className="sidebar-note">Loading…</p>;
  if (query.error)
    return (
      <p className="sidebar-note">
        Couldn't load {what}.{" "}
        <button type="button" className="link-button" onClick={() => void query.refetch()}>
          Retry
        </button>
      </p>
    );
  if (count === 0) return <p className="sidebar-note">{empty}</p>;
  return <ul className="room-links">{children}</ul>;
}
