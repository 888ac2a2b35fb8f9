import { describe, expect, it } from "vitest";
import {
  documentTitle,
  mentionsUser,
  NOTIFICATION_BODY_MAX,
  notificationBody,
  notificationFor,
  shouldNotify,
  unreadTotal,
  type IncomingMessage,
  type NotifyContext,
} from "../src/lib/notifications";

const me = { id: "11111111-1111-4111-8111-111111111111", username: "Alice" };
const bob = { id: "22222222-2222-4222-8222-222222222222", username: "bob" };
const now = new Date("2030-01-01T12:00:00Z");

const context = (overrides: Partial<NotifyContext> = {}): NotifyContext => ({
  me,
  tabHidden: true,
  permission: "granted",
  now,
  ...overrides,
});

const roomMessage = (content: string, overrides: Partial<Extract<IncomingMessage, { kind: "room" }>> = {}) =>
  ({
    kind: "room",
    roomId: "33333333-3333-4333-8333-333333333333",
    roomName: "general",
    sender: bob,
    content,
    messageType: "text",
    createdAt: now,
    ...overrides,
  }) satisfies IncomingMessage;

const dm = (overrides: Partial<Extract<IncomingMessage, { kind: "dm" }>> = {}) =>
  ({
    kind: "dm",
    sender: bob,
    recipient: me,
    content: "hi there",
    createdAt: now,
    ...overrides,
  }) satisfies IncomingMessage;

describe("mention detection", () => {
  it("finds @username anywhere in the text, in any letter case", () => {
    expect(mentionsUser("hey @alice, look", "Alice")).toBe(true);
    expect(mentionsUser("@ALICE", "alice")).toBe(true);
    expect(mentionsUser("thanks (@Alice)!", "Alice")).toBe(true);
    expect(mentionsUser("line one\n@alice line two", "Alice")).toBe(true);
  });

  it("ignores a name without the @ sign", () => {
    expect(mentionsUser("alice said hi", "Alice")).toBe(false);
  });

  it("ignores longer usernames that merely start with mine", () => {
    expect(mentionsUser("ping @alice_2 and @alicex", "Alice")).toBe(false);
  });

  it("ignores email addresses and other words glued to the @", () => {
    expect(mentionsUser("write to bob@alice.com", "Alice")).toBe(false);
    expect(mentionsUser("x@alice", "Alice")).toBe(false);
  });

  it("treats the username literally rather than as a pattern", () => {
    expect(mentionsUser("@a_b", "a_b")).toBe(true);
    expect(mentionsUser("@axb", "a.b")).toBe(false);
  });
});

describe("deciding whether a message notifies", () => {
  it("notifies a direct message to me while the tab is hidden", () => {
    expect(shouldNotify(dm(), context())).toBe(true);
  });

  it("stays quiet while the tab is visible", () => {
    expect(shouldNotify(dm(), context({ tabHidden: false }))).toBe(false);
    expect(shouldNotify(roomMessage("@alice hi"), context({ tabHidden: false }))).toBe(false);
  });

  it("stays quiet until the user has granted permission", () => {
    for (const permission of ["default", "denied", "unsupported"] as const) {
      expect(shouldNotify(dm(), context({ permission }))).toBe(false);
    }
  });

  it("never notifies me about my own direct messages from another tab", () => {
    expect(shouldNotify(dm({ sender: me, recipient: bob }), context())).toBe(false);
  });

  it("notifies a room message only when it mentions me", () => {
    expect(shouldNotify(roomMessage("hello @alice"), context())).toBe(true);
    expect(shouldNotify(roomMessage("hello everyone"), context())).toBe(false);
  });

  it("ignores my own mentions of myself and system lines", () => {
    expect(shouldNotify(roomMessage("note to self @alice", { sender: me }), context())).toBe(false);
    expect(shouldNotify(roomMessage("@alice joined", { messageType: "system" }), context())).toBe(false);
  });

  it("skips old messages replayed after a reconnect", () => {
    const old = new Date(now.getTime() - 10 * 60_000);
    expect(shouldNotify(dm({ createdAt: old }), context())).toBe(false);
    expect(shouldNotify(roomMessage("@alice", { createdAt: old }), context())).toBe(false);
  });
});

describe("notification content", () => {
  it("titles a direct message with the sender and opens that conversation", () => {
    expect(notificationFor(dm())).toEqual({
      title: "bob",
      body: "hi there",
      tag: `dm:${bob.id}`,
      path: `/dm/${bob.id}`,
    });
  });

  it("titles a mention with the sender and the room and opens the room", () => {
    const content = notificationFor(roomMessage("@alice can you look?"));
    expect(content.title).toBe("bob mentioned you in #general");
    expect(content.body).toBe("@alice can you look?");
    expect(content.path).toBe("/rooms/33333333-3333-4333-8333-333333333333");
    expect(content.tag).toBe("room:33333333-3333-4333-8333-333333333333");
  });

  it("puts a long or multi-line message on one shortened line", () => {
    expect(notificationBody("one\n\ntwo   three")).toBe("one two three");
    const body = notificationBody("x".repeat(500));
    expect(body).toHaveLength(NOTIFICATION_BODY_MAX);
    expect(body.endsWith("…")).toBe(true);
  });
});

describe("the tab title", () => {
  it("is just the app name when nothing is unread", () => {
    expect(documentTitle(0)).toBe("Murmur");
  });

  it("leads with the unread count", () => {
    expect(documentTitle(3)).toBe("(3) Murmur");
  });

  it("caps very large counts", () => {
    expect(documentTitle(150)).toBe("(99+) Murmur");
  });

  it("adds up unread rooms and conversations, ignoring lists not loaded yet", () => {
    expect(unreadTotal([{ unreadCount: 2 }, { unreadCount: 0 }], undefined, [{ unreadCount: 1 }])).toBe(3);
  });
});
