/**
 * What to tell the user about new messages, decided without touching the DOM so it can be tested
 * in plain Node. Showing the notification and setting the title happen in `browserNotifications.ts`.
 */

export type PermissionState = "default" | "granted" | "denied" | "unsupported";

export interface Person {
  id: string;
  username: string;
}

export type IncomingMessage =
  | {
      kind: "room";
      roomId: string;
      roomName: string;
      sender: Person | null;
      content: string;
      messageType: "text" | "system";
      createdAt: Date;
    }
  | { kind: "dm"; sender: Person; recipient: Person; content: string; createdAt: Date };

export interface NotifyContext {
  me: Person;
  tabHidden: boolean;
  permission: PermissionState;
  now: Date;
}

export interface NotificationContent {
  title: string;
  body: string;
  /** Same tag replaces the previous notification of the conversation instead of stacking them. */
  tag: string;
  /** Where clicking it takes the user. */
  path: string;
}

/** Events replayed after a reconnect can be old; a burst of stale alerts helps nobody. */
export const NOTIFY_MAX_AGE_MS = 2 * 60_000;
export const NOTIFICATION_BODY_MAX = 140;
export const APP_TITLE = "Murmur";

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** `@name` as a whole word, any case: "@Alice," counts, "bob@alice.com" and "@alice_2" do not. */
export function mentionsUser(content: string, username: string): boolean {
  if (!username) return false;
  return new RegExp(`(^|[^A-Za-z0-9_])@${escapeRegExp(username)}(?![A-Za-z0-9_])`, "i").test(content);
}

export function shouldNotify(message: IncomingMessage, ctx: NotifyContext): boolean {
  if (ctx.permission !== "granted" || !ctx.tabHidden) return false;
  if (ctx.now.getTime() - message.createdAt.getTime() > NOTIFY_MAX_AGE_MS) return false;
  if (message.kind === "dm") return message.recipient.id === ctx.me.id && message.sender.id !== ctx.me.id;
  if (message.messageType !== "text" || !message.sender || message.sender.id === ctx.me.id) return false;
  return mentionsUser(message.content, ctx.me.username);
}

/** One line, at most NOTIFICATION_BODY_MAX characters, ending in an ellipsis when cut. */
export function notificationBody(content: string): string {
  const flat = content.replace(/\s+/g, " ").trim();
  return flat.length <= NOTIFICATION_BODY_MAX ? flat : `${flat.slice(0, NOTIFICATION_BODY_MAX - 1).trimEnd()}…`;
}

export function notificationFor(message: IncomingMessage): NotificationContent {
  const body = notificationBody(message.content);
  if (message.kind === "dm") {
    return {
      title: message.sender.username,
      body,
      tag: `dm:${message.sender.id}`,
      path: `/dm/${message.sender.id}`,
    };
  }
  return {
    title: `${message.sender?.username ?? "Someone"} mentioned you in #${message.roomName}`,
    body,
    tag: `room:${message.roomId}`,
    path: `/rooms/${message.roomId}`,
  };
}

export function unreadTotal(...lists: (readonly { unreadCount: number }[] | undefined)[]): number {
  let total = 0;
  for (const list of lists) for (const item of list ?? []) total += Math.max(0, item.unreadCount);
  return total;
}

export function documentTitle(unread: number, base = APP_TITLE): string {
  if (unread <= 0) return base;
  return `(${unread > 99 ? "99+" : unread}) ${base}`;
}
