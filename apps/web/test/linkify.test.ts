import { describe, expect, it } from "vitest";
import { linkify } from "../src/lib/linkify";

describe("linkifying message text", () => {
  it("leaves text without links as one plain part", () => {
    expect(linkify("just words")).toEqual([{ kind: "text", text: "just words" }]);
  });

  it("turns http and https URLs into links between plain text", () => {
    expect(linkify("see https://example.com/a?b=1 and http://x.org")).toEqual([
      { kind: "text", text: "see " },
      { kind: "link", text: "https://example.com/a?b=1", href: "https://example.com/a?b=1" },
      { kind: "text", text: " and " },
      { kind: "link", text: "http://x.org", href: "http://x.org/" },
    ]);
  });

  it("leaves sentence punctuation after a URL outside the link", () => {
    expect(linkify("go to https://example.com.")).toEqual([
      { kind: "text", text: "go to " },
      { kind: "link", text: "https://example.com", href: "https://example.com/" },
      { kind: "text", text: "." },
    ]);
    expect(linkify("(https://example.com/x)")[1]).toEqual({
      kind: "link",
      text: "https://example.com/x",
      href: "https://example.com/x",
    });
  });

  it("keeps balanced parentheses that belong to the URL", () => {
    const parts = linkify("https://en.wikipedia.org/wiki/Foo_(bar)");
    expect(parts).toEqual([
      {
        kind: "link",
        text: "https://en.wikipedia.org/wiki/Foo_(bar)",
        href: "https://en.wikipedia.org/wiki/Foo_(bar)",
      },
    ]);
  });

  it("never links other schemes", () => {
    for (const text of ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.com", "mailto:a@b.c"]) {
      expect(linkify(text).every((p) => p.kind === "text")).toBe(true);
    }
  });

  it("does not link what the URL parser rejects", () => {
    expect(linkify("http://[broken").every((p) => p.kind === "text")).toBe(true);
  });
});
