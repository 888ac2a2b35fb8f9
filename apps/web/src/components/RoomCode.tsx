import { useEffect, useRef, useState } from "react";
import { Icon } from "./Icon";

type CopyState = "idle" | "copied" | "selected";

/** The code members share so others can join; copying falls back to selecting it over plain http. */
export function RoomCode({ code }: { code: string }) {
  const codeRef = useRef<HTMLElement>(null);
  const [state, setState] = useState<CopyState>("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2_000);
    return () => clearTimeout(timer);
  }, [state]);

  async function copy() {
    try {
      // The Clipboard API exists only in secure contexts; a LAN server over http is not one.
      await navigator.clipboard.writeText(code);
      setState("copied");
    } catch {
      const el = codeRef.current;
      const selection = window.getSelection();
      if (el && selection) {
        const range = document.createRange();
        range.selectNodeContents(el);
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setState("selected");
    }
  }

  return (
    <span className="room-code">
      <span className="room-code-label">Code</span>
      <code ref={codeRef} data-testid="room-code">
        {code}
      </code>
      <button
        type="button"
        className="icon-button icon-button-small"
        onClick={() => void copy()}
        aria-label="Copy room code"
        title="Copy room code"
        data-testid="copy-code-button"
      >
        <Icon name={state === "copied" ? "check" : "copy"} size={15} />
      </button>
      <span className="room-code-status" role="status">
        {state === "copied" ? "Copied" : state === "selected" ? "Selected — press Ctrl+C" : ""}
      </span>
    </span>
  );
}
