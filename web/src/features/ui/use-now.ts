"use client";

import { useEffect, useState } from "react";
import { useClock, useIsHydrating } from "./clock.tsx";

/**
 * The current time, refreshed every `everyMs` (ages like "proposed 2 h ago" stay true). While a
 * page the server rendered is hydrating it is the server's moment, so both render the same ages;
 * the browser's own follows at once.
 */
export function useNow(everyMs = 30_000): number {
  const { renderedAt } = useClock();
  const hydrating = useIsHydrating();
  const [fromServer] = useState(hydrating && renderedAt !== undefined);
  const [now, setNow] = useState(() => (fromServer && renderedAt !== undefined ? renderedAt : Date.now()));
  useEffect(() => {
    if (fromServer) setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs, fromServer]);
  return now;
}
