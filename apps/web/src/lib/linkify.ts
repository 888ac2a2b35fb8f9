export type TextPart = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

const CANDIDATE = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?]$/;
const CLOSERS: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

const count = (s: string, ch: string) => s.split(ch).length - 1;

/** Sentence punctuation after a URL is not part of it; a closing bracket is only when it has an opener. */
function trimTrailing(url: string): string {
  let out = url;
  for (;;) {
    const last = out.at(-1) ?? "";
    const opener = CLOSERS[last];
    if (TRAILING_PUNCTUATION.test(last)) out = out.slice(0, -1);
    else if (opener && count(out, opener) < count(out, last)) out = out.slice(0, -1);
    else return out;
  }
}

function safeHref(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Splits message text into plain text and http(s) links. Only what `new URL` accepts with an
 * http: or https: protocol becomes a link, so nothing else (javascript:, data:) can be clicked.
 */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let plain = "";
  let from = 0;
  for (const match of text.matchAll(CANDIDATE)) {
    const candidate = trimTrailing(match[0]);
    const href = safeHref(candidate);
    if (!href) continue;
    plain += text.slice(from, match.index);
    if (plain) parts.push({ kind: "text", text: plain });
    plain = "";
    parts.push({ kind: "link", text: candidate, href });
    from = match.index + candidate.length;
  }
  plain += text.slice(from);
  if (plain) parts.push({ kind: "text", text: plain });
  return parts;
}
