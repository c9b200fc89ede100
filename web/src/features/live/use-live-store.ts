"use client";

import { useStore } from "zustand";
import { liveStore, type TLiveState } from "./live-store.ts";

/** Reads a slice of the live store; re-renders only when the slice changes (Object.is). */
export function useLiveStore<T>(selector: (state: TLiveState) => T): T {
  return useStore(liveStore, selector);
}
