import { createRequire } from "node:module";
import path from "node:path";
import { repoRoot } from "@mission-control/supabase/stack";

/**
 * The few Playwright calls the bench makes. Playwright is the dashboard's dev dependency, not the
 * bench's (adding it here would mean a second copy in the lockfile): it is loaded from `web/` at
 * run time and typed here by what the bench uses.
 */
export interface TBenchPage {
  goto(url: string, options?: { waitUntil?: "commit" | "load" | "domcontentloaded" }): Promise<unknown>;
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  waitForFunction<A>(fn: (arg: A) => unknown, arg: A, options?: { timeout?: number; polling?: number | "raf" }): Promise<unknown>;
  click(selector: string): Promise<void>;
  focus(selector: string): Promise<void>;
  keyboard: { press(key: string): Promise<void>; type(text: string, options?: { delay?: number }): Promise<void> };
  mouse: { move(x: number, y: number): Promise<void>; wheel(deltaX: number, deltaY: number): Promise<void> };
  close(): Promise<void>;
}

export interface TBenchContext {
  addInitScript<A>(fn: (arg: A) => void, arg: A): Promise<void>;
  addInitScript(script: { content: string }): Promise<void>;
  addCookies(cookies: { name: string; value: string; url: string }[]): Promise<void>;
  newPage(): Promise<TBenchPage>;
}

export interface TBenchBrowser {
  newContext(options: {
    viewport: { width: number; height: number };
    colorScheme?: "dark" | "light";
    locale?: string;
    timezoneId?: string;
  }): Promise<TBenchContext>;
  close(): Promise<void>;
}

interface TChromium {
  launch(options: { executablePath: string; args: string[] }): Promise<TBenchBrowser>;
}

/** Launches headless Chromium (the e2e specs' flags) through the dashboard's Playwright. */
export async function launchChromium(executablePath: string): Promise<TBenchBrowser> {
  const requireFromWeb = createRequire(path.join(repoRoot, "web", "package.json"));
  let chromium: TChromium;
  try {
    ({ chromium } = requireFromWeb("playwright-core") as { chromium: TChromium });
  } catch (err) {
    throw new Error(`Playwright is not installed in web/ (${String(err)}): run \`pnpm install\` at the repository root.`);
  }
  return chromium.launch({
    executablePath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
}
