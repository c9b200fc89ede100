/** A performance entry as the in-page observers read it. */
interface TEntry {
  name: string;
  startTime: number;
  duration: number;
  interactionId?: number;
  blockingDuration?: number;
  identifier?: string;
  renderTime?: number;
}

/**
 * The browser globals the bench's in-page functions use: the bench compiles without the DOM
 * library (it is a Node package), so they reach them as `(globalThis as unknown as TPageGlobals)`.
 * Functions given to `page.evaluate` are sent as source, so each spells that cast out itself.
 */
export interface TPageGlobals {
  __scale: TPageRecord;
  /** When the first click since it was armed happened (the event's timeStamp). */
  __clickAt?: number;
  document: {
    addEventListener(type: "click", listener: (event: { timeStamp: number }) => void, options: { capture: boolean }): void;
    querySelector(selector: string): TPageElement | null;
    querySelectorAll(selector: string): { length: number };
  };
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: Record<string, unknown>): void; disconnect(): void };
  location: { pathname: string };
  localStorage: { setItem(key: string, value: string): void };
  requestAnimationFrame(callback: (now: number) => void): number;
  PerformanceObserver: new (callback: (list: { getEntries(): TEntry[] }) => void) => { observe(options: Record<string, unknown>): void };
}

/** The little of a DOM element the in-page functions touch. */
export interface TPageElement {
  textContent: string | null;
  setAttribute(name: string, value: string): void;
  querySelectorAll(selector: string): Iterable<TPageElement>;
}

/** What the page records for the bench (window.__scale), from the first script on every full load. */
export interface TPageRecord {
  /** Event Timing entries of interactions (keyboard, clicks) slower than 16 ms. */
  events: { interactionId: number; name: string; duration: number; startTime: number }[];
  /** Long animation frames (Chromium reports those over 50 ms). */
  frames: { startTime: number; duration: number; blockingDuration: number }[];
  /** Long tasks (over 50 ms). */
  longTasks: { startTime: number; duration: number }[];
  /** rAF-to-rAF intervals while `sampling` is on. */
  frameGaps: number[];
  sampling: boolean;
  /** Per row selector: when its first row was painted (Element Timing renderTime, ms since navigation). */
  rowPaints: Record<string, number>;
}

/**
 * Installs the observers (run through `addInitScript`, so the page's own scripts come after):
 * Event Timing with `durationThreshold: 16` (INP's source), long animation frames, long tasks,
 * a rAF loop that samples frame intervals while the bench scrolls, and the paint of each list's
 * first row: the first element matching each of `rowSelectors` gets an `elementtiming` attribute
 * (with its descendants, whose text is what paints) as soon as it is in the DOM, before any paint,
 * and Element Timing reports when it was painted, whether the server's HTML or a script put it there.
 */
export function observeInPage(rowSelectors: readonly string[]): void {
  const page = globalThis as unknown as TPageGlobals;
  const record: TPageRecord = { events: [], frames: [], longTasks: [], frameGaps: [], sampling: false, rowPaints: {} };
  page.__scale = record;
  const observe = (type: string, options: Record<string, unknown>, take: (entry: TEntry) => void) => {
    try {
      new page.PerformanceObserver((list) => list.getEntries().forEach(take)).observe({ type, buffered: true, ...options });
    } catch {
      // An entry type this Chromium does not know: that figure stays empty.
    }
  };
  observe("event", { durationThreshold: 16 }, (entry) => {
    const { interactionId } = entry;
    if (interactionId) record.events.push({ interactionId, name: entry.name, duration: entry.duration, startTime: entry.startTime });
  });
  observe("long-animation-frame", {}, (entry) => {
    const { blockingDuration = 0 } = entry;
    record.frames.push({ startTime: entry.startTime, duration: entry.duration, blockingDuration });
  });
  observe("longtask", {}, (entry) => record.longTasks.push({ startTime: entry.startTime, duration: entry.duration }));
  observe("element", {}, (entry) => {
    const { identifier = "", renderTime = 0 } = entry;
    if (identifier && !(identifier in record.rowPaints)) record.rowPaints[identifier] = renderTime || entry.startTime;
  });
  // A page opens on one list: once its first row is tagged the observer goes (it would cost scrolling).
  const tag = () => {
    for (const selector of rowSelectors) {
      const row = page.document.querySelector(selector);
      if (!row) continue;
      row.setAttribute("elementtiming", selector);
      for (const inner of row.querySelectorAll("*")) inner.setAttribute("elementtiming", selector);
      rows.disconnect();
      return;
    }
  };
  const rows = new page.MutationObserver(tag);
  rows.observe(page.document, { childList: true, subtree: true });
  let last = 0;
  const tick = (now: number) => {
    if (record.sampling && last) record.frameGaps.push(now - last);
    last = now;
    page.requestAnimationFrame(tick);
  };
  page.requestAnimationFrame(tick);
}
