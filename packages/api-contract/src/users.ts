import { z } from "zod";
import { LIMITS, USERNAME_PATTERN } from "./limits";

export const usernameSchema = z
  .string()
  .trim()
  .min(LIMITS.usernameMin, `Username must be at least ${LIMITS.usernameMin} characters`)
  .max(LIMITS.usernameMax, `Username must be at most ${LIMITS.usernameMax} characters`)
  .regex(USERNAME_PATTERN, "Username may contain only letters, digits and underscores");

export const emailSchema = z.email("Enter a valid email address").max(LIMITS.emailMax);

export const passwordSchema = z
  .string()
  .min(LIMITS.passwordMin, `Password must be at least ${LIMITS.passwordMin} characters`)
  .max(LIMITS.passwordMax, `Password must be at most ${LIMITS.passwordMax} characters`);

/** What anyone may see of a user: Murmur is anonymous, so never an email. */
export const publicUserSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  isOnline: z.boolean(),
  lastSeen: z.date().nullable(),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

/** The caller's own profile. */
export const meSchema = publicUserSchema.extend({
  email: z.string(),
  credits: z.number().int(),
  createdAt: z.date(),
});
export type Me = z.infer<typeof meSchema>;

export const registerInput = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
});

export const loginInput = z.object({
  /** A username or an email address. */
  username: z.string().trim().min(1, "Enter your username or email").max(LIMITS.emailMax),
  password: z.string().min(1, "Enter your password").max(LIMITS.passwordMax),
});

export const loginOutput = z.object({
  user: meSchema,
  /** The session token, for clients that cannot use the cookie (bots, the Node client). */
  token: z.string(),
});

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(LIMITS.passwordMax),
  newPassword: passwordSchema,
});

export const sessionSchema = z.object({
  /** A public id derived from the session; it cannot be used to sign in. */
  id: z.string(),
  createdAt: z.date(),
  expiresAt: z.date(),
  current: z.boolean(),
});

export const revokeSessionInput = z.object({ sessionId: z.string().min(1).max(64) });
