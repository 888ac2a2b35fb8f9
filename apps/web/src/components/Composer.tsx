import { LIMITS } from "@murmur/api-contract";
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { useCountdown } from "../hooks/useCountdown";
import { useOutboxSnapshot } from "../hooks/useOutbox";
import { getDraft, setDraft } from "../lib/drafts";
import { Icon } from "./Icon";

/** Show the counter once the message gets this close to the limit. */
const COUNTER_FROM = LIMITS.messageMax - 500;
const MAX_HEIGHT_PX = 200;

interface ComposerProps {
  /** Where the unsent text is kept per conversation, e.g. "room:<id>". */
  draftKey: string;
  /** "Message #general", "Message alice": the label and the placeholder. */
  label: string;
  onSend: (text: string) => void;
  /** Every edit by the user (not restored drafts), for the typing indicator. */
  onTextChange?: (text: string) => void;
  /** Shown just above the box: who is typing. */
  status?: ReactNode;
}

export function Composer({ draftKey, label, onSend, onTextChange, status }: ComposerProps) {
  const [text, setText] = useState(() => getDraft(draftKey));
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const { blocked, retryAt } = useOutboxSnapshot();
  const waitSeconds = useCountdown(blocked === "rate-limited" ? retryAt : null);
  const length = text.length;
  const tooLong = length > LIMITS.messageMax;
  const canSend = text.trim().length > 0 && !tooLong;

  useEffect(() => setDraft(draftKey, text), [draftKey, text]);

  useEffect(() => {
    // Phones would pop the keyboard over the conversation they just opened.
    if (window.matchMedia("(pointer: fine)").matches) inputRef.current?.focus();
  }, [draftKey]);

  useLayoutEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  function change(next: string) {
    setText(next);
    onTextChange?.(next);
  }

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text.trim());
    change("");
    inputRef.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter while an IME is composing picks a candidate; it must not send half a word.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  const notice =
    waitSeconds !== null && waitSeconds > 0 ? (
      <span className="composer-notice is-warning" data-testid="slow-down-notice">
        Slow down — try again in {waitSeconds} s
      </span>
    ) : blocked === "offline" ? (
      <span className="composer-notice" data-testid="offline-notice">
        You're offline — messages will be sent when the connection returns
      </span>
    ) : null;

  return (
    <form className="composer" onSubmit={submit}>
      <div className="composer-status" aria-live="polite">
        {status}
      </div>
      <div className={`composer-box${tooLong ? " is-over" : ""}`}>
        <label htmlFor="composer-input" className="visually-hidden">
          {label}
        </label>
        <textarea
          id="composer-input"
          ref={inputRef}
          rows={1}
          value={text}
          placeholder={label}
          onChange={(e) => change(e.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby="composer-help"
          aria-invalid={tooLong}
          data-testid="composer"
        />
        <button
          type="submit"
          className="send-button"
          disabled={!canSend}
          aria-label="Send message"
          data-testid="send-button"
        >
          <Icon name="send" size={18} />
        </button>
      </div>
      <div className="composer-footer" id="composer-help" aria-live="polite">
        {notice ?? (
          <span className="composer-hint">
            <kbd>Enter</kbd> to send, <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
          </span>
        )}
        {length >= COUNTER_FROM && (
          <span className={`composer-counter${tooLong ? " is-over" : ""}`} data-testid="composer-counter">
            {length} / {LIMITS.messageMax}
          </span>
        )}
      </div>
    </form>
  );
}
