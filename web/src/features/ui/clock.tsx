"use client";

import { createContext, type ReactNode, useCallback, useContext, useSyncExternalStore } from "react";
import { formatTime, type TFormatClock, type TTimeStyle } from "./format-time.ts";

/**
 * How a page's dates read: the reader's locale and time zone, and, for a page the server rendered,
 * the moment it did. The server renders in the clock the browser mirrored into a cookie; the
 * browser, taking over the page, renders the same text (a mismatch would discard the server's HTML).
 */
export interface TRenderClock extends TFormatClock {
  /** When the server rendered the page (ms since epoch): "5 min ago" is computed from it while hydrating. */
  renderedAt?: number | undefined;
}

const ClockContext = createContext<TRenderClock>({});

/** Provides the clock to the pages of a project (the project layout, from the server's render). */
export function ClockProvider({ clock, children }: { clock: TRenderClock; children: ReactNode }) {
  return <ClockContext.Provider value={clock}>{children}</ClockContext.Provider>;
}

/** The clock dates are formatted in. */
export function useClock(): TRenderClock {
  return useContext(ClockContext);
}

/** formatTime in the page's clock. */
export function useFormatTime(): (value: string | number | Date, style: TTimeStyle) => string {
  const { locale, timeZone } = useClock();
  return useCallback((value, style) => formatTime(value, style, { locale, timeZone }), [locale, timeZone]);
}

const subscribeNever = () => () => {};

/** True while React renders on the server or hydrates what the server rendered; false afterwards. */
export function useIsHydrating(): boolean {
  return useSyncExternalStore(
    subscribeNever,
    () => false,
    () => true,
  );
}
