"use client";

import { createContext, type ReactNode, useContext, useState } from "react";
import { useStore } from "zustand";
import { createLiveStore, type TLiveSeed, type TLiveState, type TLiveStore } from "./live-store.ts";

const LiveStoreContext = createContext<TLiveStore | null>(null);

/**
 * Holds the dashboard's live store: created once per mounted tree (one per browser tab, one per
 * server render), so no two requests or tests ever share rows. Mounted by the root layout, and
 * again by the project layout with the rows the server read for the page (`seed`): they are the
 * store's initial state, which is also what React renders while hydrating, so the browser's first
 * render matches the server's HTML.
 */
export function LiveStoreProvider({ seed, children }: { seed?: TLiveSeed | undefined; children: ReactNode }) {
  const [store] = useState(() => createLiveStore(seed));
  return <LiveStoreContext.Provider value={store}>{children}</LiveStoreContext.Provider>;
}

/** The live store itself, for code that reads or writes it outside render (handlers, subscriptions). */
export function useLiveStoreApi(): TLiveStore {
  const store = useContext(LiveStoreContext);
  if (!store) throw new Error("useLiveStoreApi() needs <LiveStoreProvider>: render inside the root layout.");
  return store;
}

/** Reads a slice of the live store; re-renders only when the slice changes (Object.is). */
export function useLiveStore<T>(selector: (state: TLiveState) => T): T {
  return useStore(useLiveStoreApi(), selector);
}
