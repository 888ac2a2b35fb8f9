import type { CreditReason } from "@murmur/api-contract";

const REASONS: Record<CreditReason, string> = {
  signup: "Welcome bonus",
  "room-private": "Created a private room",
  "room-super-secret": "Created a super-secret room",
};

export const creditReasonLabel = (reason: CreditReason) => REASONS[reason];

export const creditsText = (n: number) => `${n} ${Math.abs(n) === 1 ? "credit" : "credits"}`;
