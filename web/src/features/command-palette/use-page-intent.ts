"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";
import type { TPageIntent } from "./page-intents.ts";

/**
 * Runs `onIntent` when the page is opened with `?do=<intent>` (from the command palette), once,
 * then removes the parameter from the address. Works when the palette is used on the page itself too.
 */
export function usePageIntent(intent: TPageIntent, onIntent: () => void): void {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const wanted = params.get("do") === intent;
  const onIntentRef = useRef(onIntent);
  onIntentRef.current = onIntent;
  useEffect(() => {
    if (!wanted) return;
    onIntentRef.current();
    const rest = new URLSearchParams(window.location.search);
    rest.delete("do");
    const query = rest.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }, [wanted, router, pathname]);
}
