import type { NotificationContent, PermissionState } from "./notifications";

const DISMISSED_KEY = "murmur:notifications-banner-dismissed";

const supported = () => typeof window !== "undefined" && "Notification" in window;

export function notificationPermission(): PermissionState {
  return supported() ? Notification.permission : "unsupported";
}

/** Must run inside a click handler: browsers refuse (or penalise) permission prompts nobody asked for. */
export async function requestNotificationPermission(): Promise<PermissionState> {
  if (!supported()) return "unsupported";
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

export function showNotification(content: NotificationContent, onClick: () => void) {
  if (notificationPermission() !== "granted") return;
  try {
    const notification = new Notification(content.title, {
      body: content.body,
      tag: content.tag,
      icon: "/favicon.svg",
    });
    notification.onclick = () => {
      window.focus();
      onClick();
      notification.close();
    };
  } catch {
    // Some mobile browsers only allow notifications from a service worker; there is none here.
  }
}

export function bannerDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) === "1";
  } catch {
    return false;
  }
}

export function dismissBanner() {
  try {
    localStorage.setItem(DISMISSED_KEY, "1");
  } catch {
    // Without storage the banner simply comes back next time.
  }
}
