"use client";

import { createContext, type ReactNode, useContext } from "react";
import type { TClientConfig } from "./client-config.ts";

const ClientConfigContext = createContext<TClientConfig | null>(null);

/** Makes the request-time public configuration available to client components. */
export function ClientConfigProvider({ config, children }: { config: TClientConfig; children: ReactNode }) {
  return <ClientConfigContext.Provider value={config}>{children}</ClientConfigContext.Provider>;
}

/** The public configuration; throws when a component renders outside the root layout. */
export function useClientConfig(): TClientConfig {
  const config = useContext(ClientConfigContext);
  if (!config) throw new Error("useClientConfig() needs <ClientConfigProvider>: render inside the root layout.");
  return config;
}
