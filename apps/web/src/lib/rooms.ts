import type { Room } from "@murmur/api-contract";

export type Privacy = "public" | "private" | "super-secret";

export const PRIVACY_OPTIONS: { value: Privacy; label: string; hint: string }[] = [
  { value: "public", label: "Public", hint: "Listed in the directory; anyone can join." },
  { value: "private", label: "Private", hint: "Listed in the directory; a password is needed to join." },
  {
    value: "super-secret",
    label: "Super-secret",
    hint: "Not listed anywhere; people join with the room code and the password.",
  },
];

export const privacyOf = (room: Pick<Room, "isPrivate" | "isSuperSecret">): Privacy =>
  room.isSuperSecret ? "super-secret" : room.isPrivate ? "private" : "public";

export const privacyLabel = (privacy: Privacy) => PRIVACY_OPTIONS.find((o) => o.value === privacy)?.label ?? privacy;
