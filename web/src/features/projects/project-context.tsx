"use client";

import type { TProject } from "@mission-control/shared/rows";
import type { TMemberRole } from "@mission-control/shared/schemas";
import { createContext, type ReactNode, useContext } from "react";
import type { TBrowserClient } from "../auth/get-browser-client.ts";
import type { TShellSession } from "../auth/use-session.ts";

/** The project on screen and who is looking at it. */
export interface TProjectContext {
  project: TProject;
  role: TMemberRole | null;
  /** Owners and operators may write (send, retry, change settings); viewers only read. */
  canWrite: boolean;
  session: TShellSession;
  client: TBrowserClient;
}

const ProjectContext = createContext<TProjectContext | null>(null);

/** Provides the current project to the pages of the shell. */
export function ProjectProvider({ value, children }: { value: TProjectContext; children: ReactNode }) {
  return <ProjectContext.Provider value={value}>{children}</ProjectContext.Provider>;
}

/** The current project; only valid inside the project shell. */
export function useProject(): TProjectContext {
  const value = useContext(ProjectContext);
  if (!value) throw new Error("useProject() needs the project shell: render the page under /p/[slug].");
  return value;
}
