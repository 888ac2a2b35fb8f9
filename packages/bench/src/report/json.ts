/**
 * JSON laid out the way Prettier lays it out (short arrays of plain values on one line), so a
 * results file written by a run passes `prettier --check` without being reformatted.
 */
const WIDTH = 120;

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

type Plain = string | number | boolean | null;

const isPlain = (v: Json): v is Plain => v === null || typeof v !== "object";

function render(value: Json, indent: string, prefixLength: number): string {
  if (isPlain(value)) return JSON.stringify(value);
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every(isPlain)) {
      const inline = `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
      // +1 for the comma that may follow.
      if (prefixLength + inline.length + 1 <= WIDTH) return inline;
    }
    return `[\n${value.map((v) => `${inner}${render(v, inner, inner.length)}`).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const lines = entries.map(([key, v]) => {
    const head = `${inner}${JSON.stringify(key)}: `;
    return `${head}${render(v, inner, head.length)}`;
  });
  return `{\n${lines.join(",\n")}\n${indent}}`;
}

export function toPrettyJson(value: unknown): string {
  // A round trip drops undefined and turns Dates into strings, as JSON.stringify would.
  return `${render(JSON.parse(JSON.stringify(value)) as Json, "", 0)}\n`;
}
