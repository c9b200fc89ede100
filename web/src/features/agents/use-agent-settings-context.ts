"use client";

import { type TAgentDefaults, ZAgentDefaults } from "@mission-control/shared/schemas";
import { useMemo } from "react";
import { useLiveStore } from "../live/live-store-provider.tsx";
import type { TConnectionName } from "./describe-effective-setting.ts";

/** A provider connection as the agent editor offers it. */
export interface TConnectionChoice extends TConnectionName {
  kind: string;
}

/** What an agent's effective settings resolve against: the project's defaults and its provider connections. */
export interface TAgentSettingsContext {
  /** project_settings `agent_defaults`, validated; null when unset or unreadable. */
  defaults: TAgentDefaults | null;
  /** Set when a stored `agent_defaults` does not validate (the executor ignores it too). */
  defaultsProblem: string | null;
  connections: TConnectionChoice[];
}

/** The project's agent defaults and provider connections, live from the store. */
export function useAgentSettingsContext(projectId: string): TAgentSettingsContext {
  const setting = useLiveStore((s) => s.rows.project_settings[`${projectId}:agent_defaults`]);
  const rows = useLiveStore((s) => s.rows.provider_connections);
  return useMemo(() => {
    const parsed = setting ? ZAgentDefaults.safeParse(setting.value) : null;
    const connections = Object.values(rows)
      .filter((row) => row.project_id === projectId)
      .map((row) => ({ id: row.id, name: row.name, kind: row.kind, default_model: row.default_model }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return {
      defaults: parsed?.success ? parsed.data : null,
      defaultsProblem:
        parsed && !parsed.success
          ? "The project's agent defaults are not valid and are ignored: fix them in Settings → Agent defaults."
          : null,
      connections,
    };
  }, [setting, rows, projectId]);
}
