import AxeBuilder from "@axe-core/playwright";
import { createMurmurClient } from "@murmur/client";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { messageTexts, screenshot, skipReason, startRig, type BrowserRig } from "./harness";

const eventually = async (check: () => Promise<boolean>, timeout = 15_000) => {
  const end = Date.now() + timeout;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting in the browser");
    await new Promise((r) => setTimeout(r, 50));
  }
};

async function type(page: Page, text: string) {
  const composer = page.getByTestId("composer");
  await composer.click();
  await composer.pressSequentially(text, { delay: 5 });
  await composer.press("Enter");
}

async function createRoom(page: Page, name: string) {
  await page.getByTestId("create-room-button").click();
  await page.getByTestId("create-room-name").fill(name);
  await page.getByTestId("create-room-submit").click();
  await page.waitForURL(/\/rooms\//);
  return page.url();
}

/**
 * Where message `seq` sits on screen and how far its scrolling container is scrolled — after
 * scrolling that container to its very top first, when asked, as a reader reaching back would.
 */
function historyPosition(page: Page, seq: string, scrollToTop = false) {
  return page.evaluate(
    ({ wanted, toTop }) => {
      const node = document.querySelector(`[data-testid="message"][data-seq="${wanted}"]`);
      let scroller: HTMLElement | null = node?.parentElement ?? null;
      while (scroller && scroller.scrollHeight <= scroller.clientHeight) scroller = scroller.parentElement;
      if (toTop) scroller?.scrollTo({ top: 0 });
      return { top: node?.getBoundingClientRect().top ?? Number.NaN, scrollTop: scroller?.scrollTop ?? 0 };
    },
    { wanted: seq, toTop: scrollToTop },
  );
}

async function joinRoom(page: Page, roomUrl: string) {
  await page.goto(roomUrl);
  await page.getByTestId("join-prompt").getByRole("button").first().click();
  await page.getByTestId("composer").waitFor();
}

/** An API client of a person's own, signed in with their password. */
async function signIn(url: string, { username, password }: { username: string; password: string }) {
  const { token, user } = await createMurmurClient({ url }).api.auth.login.mutate({ username, password });
  return { api: createMurmurClient({ url, token }).api, id: user.id };
}

/** Chromium's offline mode leaves open sockets alone, so a test keeps a hand on them to drop. */
function keepHandOnSockets(page: Page) {
  return page.addInitScript(() => {
    const sockets: WebSocket[] = [];
    Object.assign(window, { openSockets: sockets });
    window.WebSocket = class extends window.WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        sockets.push(this);
      }
    };
  });
}

/** Takes a person offline and closes their open sockets, as a dropped network would. */
async function dropConnection(person: { context: BrowserContext; page: Page }) {
  await person.context.setOffline(true);
  await person.page.evaluate(() => {
    for (const socket of (window as unknown as { openSockets: WebSocket[] }).openSockets) socket.close();
  });
  const banner = person.page.getByTestId("connection-banner");
  await eventually(async () => (await banner.getAttribute("data-state").catch(() => null)) === "offline");
}

async function axeViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

describe.skipIf(skipReason !== null)(`Murmur in Chromium${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let rig: BrowserRig;
  beforeAll(async () => {
    rig = await startRig();
  }, 60_000);
  afterAll(async () => {
    if (rig?.serverOutput().includes("rror")) process.stderr.write(rig.serverOutput());
    await rig?.close();
  });

  it("lets two people chat live both ways, see typing and presence, and DM with seen receipts", async () => {
    const alice = await rig.person("alice");
    const bob = await rig.person("bob");
    const roomUrl = await createRoom(alice.page, "Lobby");
    // Sends and history pages travel on the WebSocket the live streams already use, never over HTTP.
    const overHttp: string[] = [];
    for (const page of [alice.page, bob.page])
      page.on("request", (request) => {
        if (/\/trpc\/[^?]*(messages|dm)\.(send|history)/.test(request.url())) overHttp.push(request.url());
      });

    await joinRoom(bob.page, roomUrl);

    await type(alice.page, "Hello Bob!");
    await eventually(async () => (await messageTexts(bob.page)).includes("Hello Bob!"));
    await bob.page.getByTestId("composer").pressSequentially("Hi Al", { delay: 20 });
    await eventually(async () =>
      (
        await alice.page
          .getByTestId("typing-indicator")
          .innerText()
          .catch(() => "")
      ).includes(bob.username),
    );
    await bob.page.getByTestId("composer").pressSequentially("ice!", { delay: 5 });
    await bob.page.getByTestId("composer").press("Enter");
    await eventually(async () => (await messageTexts(alice.page)).includes("Hi Alice!"));
    await eventually(
      async () =>
        (await alice.page.getByTestId("typing-indicator").count()) === 0 ||
        !(await alice.page.getByTestId("typing-indicator").innerText()).includes(bob.username),
    );
    expect(await messageTexts(alice.page)).toEqual(["Hello Bob!", "Hi Alice!"]);
    expect(await messageTexts(bob.page)).toEqual(["Hello Bob!", "Hi Alice!"]);

    await alice.page.getByTestId("members-toggle").click();
    const bobInPanel = alice.page.getByTestId("member").filter({ hasText: bob.username });
    await eventually(async () => (await bobInPanel.getAttribute("data-online")) === "true");
    await screenshot(alice.page, "room", true);

    await bobInPanel.getByTestId("message-button").click();
    await alice.page.waitForURL(/\/dm\//);
    await type(alice.page, "A private word");
    await eventually(async () => (await bob.page.getByTestId("dm-link").count()) > 0);
    await bob.page.getByTestId("dm-link").first().click();
    await eventually(async () => (await messageTexts(bob.page)).includes("A private word"));
    await eventually(async () => (await alice.page.getByTestId("seen-indicator").count()) === 1);
    await screenshot(alice.page, "direct-message", true);
    expect(overHttp).toEqual([]);

    await bob.context.close();
    await alice.page.goto(roomUrl);
    await alice.page.getByTestId("members-toggle").click();
    const bobAgain = alice.page.getByTestId("member").filter({ hasText: bob.username });
    await eventually(async () => (await bobAgain.getAttribute("data-online")) === "false");
  }, 90_000);

  it("keeps history across a reload, and loads older pages on scroll-up without jumping", async () => {
    const carol = await rig.person("carol");
    const roomUrl = await createRoom(carol.page, "History");
    const roomId = roomUrl.split("/").pop() ?? "";
    const login = await createMurmurClient({ url: rig.url }).api.auth.login.mutate({
      username: carol.username,
      password: carol.password,
    });
    const api = createMurmurClient({ url: rig.url, token: login.token }).api;
    for (let i = 1; i <= 130; i++) {
      await api.messages.send.mutate({ roomId, content: `old message ${i}`, clientMessageId: `seed-${i}` });
    }
    await carol.page.reload();
    await eventually(async () => (await messageTexts(carol.page)).includes("old message 130"));
    const before = await messageTexts(carol.page);
    expect(before.length).toBeLessThan(130);

    // The oldest message shown before must stay where the reader is looking once older ones load above it.
    const anchorSeq = await carol.page
      .locator('[data-testid="message"][data-message-type="text"]')
      .first()
      .getAttribute("data-seq");
    const atTop = await historyPosition(carol.page, anchorSeq ?? "", true);
    await eventually(async () => (await messageTexts(carol.page)).length > before.length);
    await new Promise((r) => setTimeout(r, 300));
    const afterLoad = await historyPosition(carol.page, anchorSeq ?? "");
    expect(afterLoad.scrollTop).toBeGreaterThan(0);
    expect(Math.abs(afterLoad.top - atTop.top)).toBeLessThan(40);
    for (let i = 0; i < 5 && !(await messageTexts(carol.page)).includes("old message 1"); i++) {
      await historyPosition(carol.page, anchorSeq ?? "", true);
      await new Promise((r) => setTimeout(r, 500));
    }
    const all = await messageTexts(carol.page);
    expect(all).toEqual(Array.from({ length: 130 }, (_, i) => `old message ${i + 1}`));
  }, 90_000);

  it("sends messages typed while offline once each, in order, when the connection returns", async () => {
    const dana = await rig.person("dana");
    const erin = await rig.person("erin");
    const roomUrl = await createRoom(dana.page, "Offline");
    await joinRoom(erin.page, roomUrl);

    const sentBy = (page: Page) =>
      page.locator('[data-testid="message"][data-message-type="text"][data-status="sent"]').count();
    const expected = ["first while offline", "second while offline", "third while offline"];

    await dana.context.setOffline(true);
    const banner = dana.page.getByTestId("connection-banner");
    await eventually(async () => (await banner.getAttribute("data-state").catch(() => null)) === "offline");
    for (const text of expected) await type(dana.page, text);
    expect(await messageTexts(dana.page)).toEqual(expected);
    expect(await sentBy(dana.page)).toBe(0);
    await screenshot(dana.page, "offline");

    await dana.context.setOffline(false);
    await eventually(async () => JSON.stringify(await messageTexts(erin.page)) === JSON.stringify(expected), 30_000);
    await eventually(async () => (await sentBy(dana.page)) === 3, 30_000);
    // Nothing arrives twice, even once everything has settled.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await messageTexts(erin.page)).toEqual(expected);
    expect(await messageTexts(dana.page)).toEqual(expected);
  }, 90_000);

  it("shows a DM sent while the connection was down in the open conversation, once", async () => {
    const ivan = await rig.person("ivan");
    const judy = await rig.person("judy");
    const [ivanApi, judyApi] = [await signIn(rig.url, ivan), await signIn(rig.url, judy)];
    await keepHandOnSockets(ivan.page);
    // Ivan's DM stream has seen no event yet: after the drop it can resume only from where it began.
    await ivan.page.goto(`${rig.url}/dm/${judyApi.id}`);
    await ivan.page.getByTestId("composer").waitFor();
    // The list is read before the stream starts; loaded after the drop, it would already hold the DM.
    await ivan.page.getByText("No conversations yet.").waitFor();
    await dropConnection(ivan);
    await judyApi.api.dm.send.mutate({ toUserId: ivanApi.id, content: "while you were away", clientMessageId: "away" });

    await ivan.context.setOffline(false);
    await eventually(async () => (await messageTexts(ivan.page)).includes("while you were away"), 30_000);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await messageTexts(ivan.page)).toEqual(["while you were away"]);
  }, 90_000);

  it("shows a DM peer who left while the connection was down as offline once it is back", async () => {
    const kate = await rig.person("kate");
    const liam = await rig.person("liam");
    const [kateApi, liamApi] = [await signIn(rig.url, kate), await signIn(rig.url, liam)];
    await liamApi.api.dm.send.mutate({ toUserId: kateApi.id, content: "hi", clientMessageId: "hi" });
    await keepHandOnSockets(kate.page);
    await kate.page.goto(rig.url);
    const liamInList = kate.page.getByTestId("dm-link").filter({ hasText: liam.username });
    await eventually(async () => (await liamInList.innerText().catch(() => "")).includes("(online)"));

    await dropConnection(kate);
    await liam.context.close();
    // Gone for the server too before Kate is back, so she can learn it only by asking again.
    await eventually(async () => {
      const { items } = await kateApi.api.dm.conversations.query({});
      return items.some((c) => c.peer.id === liamApi.id && !c.peer.isOnline);
    });
    await kate.context.setOffline(false);
    await eventually(async () => (await liamInList.innerText()).includes("(offline)"), 30_000);
  }, 90_000);

  it("shows a message containing HTML as text and runs nothing", async () => {
    const frank = await rig.person("frank");
    const grace = await rig.person("grace");
    const roomUrl = await createRoom(frank.page, "Injection");
    await joinRoom(grace.page, roomUrl);
    const hostile = "<img src=x onerror=alert(1)> <script>alert(2)</script>";
    await type(frank.page, hostile);
    await eventually(async () => (await messageTexts(grace.page)).includes(hostile));
    expect(await grace.page.locator('[data-testid="message-list"] img[src="x"]').count()).toBe(0);
    expect(await grace.page.locator('[data-testid="message-list"] script').count()).toBe(0);
  }, 60_000);

  it("has no accessibility violations on the main screens, and looks right on a phone", async () => {
    const hana = await rig.person("hana");
    expect(await axeViolations(hana.page)).toEqual([]);
    await screenshot(hana.page, "directory", true);
    await createRoom(hana.page, "Accessible");
    await type(hana.page, "Checking contrast and labels");
    expect(await axeViolations(hana.page)).toEqual([]);
    await hana.page.setViewportSize({ width: 390, height: 844 });
    await screenshot(hana.page, "phone", true);
    const fresh = await rig.browser.newContext();
    const loginPage = await fresh.newPage();
    await loginPage.goto(rig.url);
    await loginPage.getByTestId("login-username").waitFor();
    expect(await axeViolations(loginPage)).toEqual([]);
    await screenshot(loginPage, "login", true);
    await fresh.close();
  }, 60_000);

  it("is an installable app whose service worker serves the app shell offline", async () => {
    const ivy = await rig.person("ivy");
    const manifest = (await (await fetch(`${rig.url}/manifest.webmanifest`)).json()) as {
      name: string;
      display: string;
    };
    expect(manifest).toMatchObject({ name: "Murmur", display: "standalone" });
    await ivy.page.reload();
    await eventually(async () => ivy.page.evaluate(() => navigator.serviceWorker.controller !== null));
    await ivy.context.setOffline(true);
    await ivy.page.reload();
    await ivy.page.locator("#root").waitFor();
    expect(await ivy.page.title()).toContain("Murmur");
    expect(await ivy.page.locator("#root").innerHTML()).not.toBe("");
    await ivy.context.setOffline(false);
  }, 60_000);
});
