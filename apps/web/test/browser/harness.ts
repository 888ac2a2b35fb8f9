import { existsSync, mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { startMurmurProcess } from "../../../api/test/helpers/processes";

export const CHROMIUM = "/usr/bin/chromium";
export const webDist = fileURLToPath(new URL("../../dist", import.meta.url));
export const artifacts = fileURLToPath(new URL("../../../../test-artifacts/screenshots", import.meta.url));
export const readmeShots = fileURLToPath(new URL("../../../../docs/screenshots", import.meta.url));

/** Why the browser suite cannot run here, or null when it can. */
export const skipReason = !existsSync(CHROMIUM)
  ? "Debian's chromium is not installed"
  : !existsSync(`${webDist}/index.html`)
    ? "the web app is not built (pnpm build)"
    : null;

export interface BrowserRig {
  url: string;
  /** What the server printed, for a failure's story. */
  serverOutput(): string;
  browser: Browser;
  person(name: string): Promise<{ context: BrowserContext; page: Page; username: string; password: string }>;
  close(): Promise<void>;
}

/** A real Murmur server on the embedded database serving the built app, and a headless Chromium. */
export async function startRig(): Promise<BrowserRig> {
  // The real server process, as `pnpm start` runs it, on a fresh embedded database.
  const server = await startMurmurProcess({
    DATABASE_URL: "",
    REDIS_URL: "",
    MURMUR_DATA_DIR: mkdtempSync(join(tmpdir(), "murmur-browser-")),
    MURMUR_WEB_DIST: webDist,
    MESSAGE_RATE_PER_MINUTE: "100000",
    REGISTRATIONS_PER_IP_PER_HOUR: "100000",
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  mkdirSync(artifacts, { recursive: true });
  const contexts: BrowserContext[] = [];
  let people = 0;
  return {
    url: server.url,
    serverOutput: () => server.output(),
    browser,
    async person(name) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      contexts.push(context);
      const page = await context.newPage();
      page.on("dialog", (dialog) => {
        throw new Error(`unexpected dialog: ${dialog.message()}`);
      });
      const username = `${name}_${++people}${Date.now().toString(36).slice(-4)}`;
      const password = "correct horse battery";
      await page.goto(`${server.url}/register`);
      await page.getByTestId("register-username").fill(username);
      await page.getByTestId("register-email").fill(`${username}@example.test`);
      await page.getByTestId("register-password").fill(password);
      await page.getByTestId("register-submit").click();
      await page.getByTestId("current-user").waitFor();
      return { context, page, username, password };
    },
    async close() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await server.stop();
    },
  };
}

/** Saves a test artifact; with UPDATE_SCREENSHOTS=1, README screenshots too. */
export async function screenshot(page: Page, name: string, forReadme = false): Promise<void> {
  await page.screenshot({ path: `${artifacts}/${name}.png` });
  if (forReadme && process.env.UPDATE_SCREENSHOTS === "1") {
    mkdirSync(readmeShots, { recursive: true });
    await page.screenshot({ path: `${readmeShots}/${name}.png` });
  }
}

/** The text of every visible text message, in order. */
export async function messageTexts(page: Page): Promise<string[]> {
  const items = page.locator('[data-testid="message-list"] [data-testid="message"][data-message-type="text"]');
  return items.evaluateAll((nodes) =>
    nodes.map((n) => (n.querySelector(".msg-text, .msg-content")?.textContent ?? n.textContent ?? "").trim()),
  );
}
