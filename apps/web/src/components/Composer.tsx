import { LIMITS } from "@murmur/api-contract";
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { getDraft, setDraft } from "../lib/drafts";
import { Icon } from "./Icon";

/** Show the counter once the message gets this close to the limit. */
const COUNTER_FROM = LIMITS.messageMax - 500;
const MAX_HEIGHT_PX = 200;

export function Composer({
  roomId,
  roomName,
  onSend,
}: {
  roomId: string;
  roomName: string;
  onSend: (text: string) => void;
}) {
  const [text, setText] = useState(() => getDraft(roomId));
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const length = text.length;
  const tooLong = length > LIMITS.messageMax;
  const canSend = text.trim().length > 0 && !tooLong;

  useEffect(() => setDraft(roomId, text), [roomId, text]);

  useEffect(() => {
    // Phones would pop the keyboard over the conversation they just opened.
    if (window.matchMedia("(pointer: fine)").matches) inputRef.current?.focus();
  }, [roomId]);

  useLayoutEffect(() => {
    const el = inputRef.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (!canSend) return;
    onSend(text.trim());
    setText("");
    inputRef.current?.focus();
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    // Enter while an IME is composing picks a candidate; it must not send half a word.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <form className="composer" onSubmit={submit}>
      <div className={`composer-box${tooLong ? " is-over" : ""}`}>
        <label htmlFor="composer-input" className="visually-hidden">
          Message #{roomName}
        </label>
        <textarea
          id="composer-input"
          ref={inputRef}
          rows={1}
          value={text}
          placeholder={`Message #${roomName}`}
          onChange={(e) => setText(e.target.value)}
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
      <div className="composer-footer" id="composer-help">
        <span className="composer-hint">
          <kbd>Enter</kbd> to send, <kbd>Shift</kbd>+<kbd>Enter</kbd> for a new line
        </span>
        {length >= COUNTER_FROM && (
          <span
            className={`composer-counter${tooLong ? " is-over" : ""}`}
            data-testid="composer-counter"
            aria-live="polite"
          >
            {length} / {LIMITS.messageMax}
          </span>
        )}
      </div>
    </form>
  );
}
