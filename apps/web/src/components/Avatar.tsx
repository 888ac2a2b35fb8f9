import type { CSSProperties } from "react";

/** A stable colour per name, so people are recognisable at a glance without uploaded pictures. */
function hue(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

export function Avatar({ name, size = "md", online }: { name: string; size?: "sm" | "md"; online?: boolean }) {
  return (
    <span className={`avatar avatar-${size}`} style={{ "--avatar-hue": hue(name) } as CSSProperties} aria-hidden="true">
      {name.slice(0, 1).toUpperCase()}
      {online !== undefined && (
        <span
          className={`presence-dot${online ? " is-online" : ""}`}
          data-testid="presence-dot"
          data-online={online ? "true" : "false"}
        />
      )}
    </span>
  );
}
