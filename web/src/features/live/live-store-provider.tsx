"use client";

import { createContext, type ReactNode, useContext, useState } from "react";
import { useStore } from "zustand";
import { createLiveStore, type TLiveState, type TLiveStore } from "./live-store.ts";

const LiveStoreContext = createContext<TLiveStore | null>(null);

/**
 * Holds the dashboard's live store: created once per mounted tree (one per browser tab, one per
 * server render), so no two requests or tests ever share rows. Mounted by the root layout.
 */
export function LiveStoreProvider({ children }: { children: ReactNode }) {
  const [store] = useState(createLiveStore);
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
