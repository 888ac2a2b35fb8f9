import { Fragment, memo } from "react";
import { linkify } from "../lib/linkify";

/** Message text with its http(s) URLs as links; everything else stays a plain text node. */
export const LinkifiedText = memo(function LinkifiedText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        part.kind === "text" ? (
          <Fragment key={i}>{part.text}</Fragment>
        ) : (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
            {part.text}
          </a>
        ),
      )}
    </>
  );
});
