import { typingText } from "../lib/typing";

export function TypingIndicator({ names }: { names: readonly string[] }) {
  const text = typingText(names);
  if (!text) return null;
  return (
    <span className="typing-indicator" data-testid="typing-indicator">
      <span className="typing-dots" aria-hidden="true">
        <span />
        <span />
        <span />
      </span>
      {text}
    </span>
  );
}
