import { AppError } from "../errors";

/** Opaque keyset cursors over (timestamp desc, id desc) listings. */
export const encodeKeysetCursor = (at: Date, id: string) =>
  Buffer.from(`${at.toISOString()}|${id}`).toString("base64url");

export function decodeKeysetCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, "base64url").toString().split("|");
  const date = new Date(at ?? "");
  if (!id || !/^[0-9a-f-]{36}$/.test(id) || Number.isNaN(date.getTime())) {
    throw new AppError("BAD_REQUEST", "BAD_CURSOR", "cursor: not a cursor this server gave out");
  }
  return { at: date, id };
}
