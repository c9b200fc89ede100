"use client";

import { useEffect, useState } from "react";
import { z } from "zod";
import type { TBrowserClient } from "../auth/get-browser-client.ts";

/** What route_agent answers: the agent it picks (null when the project has no enabled agent) and why. */
const ZRouteAnswer = z.object({ agent_key: z.string().nullable(), reason: z.string() });

/** How long typing must pause before the preview asks the database again. */
const PREVIEW_DELAY_MS = 300;

/** Whom a new task would be routed to, and why, in one line. */
export interface TRoutePreview {
  agentKey: string | null;
  /** "Routes to @backend: sql, migrations", or what to do when nobody can take it. */
  line: string;
}

/** route_agent's answer as the New task form's line, worded like the line route_task writes in the thread. */
export function describeRoutePreview(answer: z.infer<typeof ZRouteAnswer>): TRoutePreview {
  if (answer.agent_key === null) return { agentKey: null, line: "Nobody to route to: enable an agent on the Agents page" };
  return { agentKey: answer.agent_key, line: `Routes to @${answer.agent_key}: ${answer.reason.replace(/^routed to @[a-z0-9_-]+: /, "")}` };
}

/**
 * Previews what route_task will pick for a task not created yet: asks route_agent (the same choice,
 * on title and description) once typing pauses for 300 ms. Nothing while `enabled` is false or the
 * title is empty; the last answer stays on screen while the next one is on its way.
 */
export function useRoutePreview(
  client: TBrowserClient,
  projectId: string,
  input: { title: string; description: string; enabled: boolean },
): { preview: TRoutePreview | null; error: string | null } {
  const [state, setState] = useState<{ preview: TRoutePreview | null; error: string | null }>({ preview: null, error: null });
  const text = input.enabled && input.title.trim() ? `${input.title.trim()}\n${input.description.trim()}` : "";

  useEffect(() => {
    if (!text) return;
    let current = true;
    const load = async () => {
      const { data, error } = await client.rpc("route_agent", { p_project_id: projectId, p_text: text });
      if (!current) return;
      const parsed = ZRouteAnswer.safeParse(data);
      if (error || !parsed.success) {
        setState({ preview: null, error: `Could not preview the routing: ${error?.message ?? "unexpected answer"}` });
        return;
      }
      setState({ preview: describeRoutePreview(parsed.data), error: null });
    };
    const timer = setTimeout(() => void load(), PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, projectId, text]);

  return text ? state : { preview: null, error: null };
}
