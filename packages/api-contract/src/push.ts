import { z } from "zod";

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, "must be base64url");

/** What `PushManager.subscribe()` gives a browser, as `subscription.toJSON()`. */
export const pushSubscriptionInput = z.object({
  endpoint: z
    .url()
    .max(2048)
    .refine((u) => u.startsWith("https://") || u.startsWith("http://"), "must be http(s)"),
  keys: z.object({ p256dh: base64url.max(200), auth: base64url.max(100) }),
});

export const pushEndpointInput = z.object({ endpoint: z.url().max(2048) });

export const pushConfigSchema = z.object({ publicKey: z.string() });

/** What a push message carries: shown by the service worker as a notification. */
export interface PushPayload {
  title: string;
  body: string;
  /** The conversation to open when the notification is clicked. */
  url: string;
}
