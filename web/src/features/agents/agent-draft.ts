import type { TAgent } from "@mission-control/shared/rows";
import {
  AGENT_PROVIDERS,
  type AGENT_VERBOSITIES,
  READ_ONLY_TOOLS,
  type RISK_LEVELS,
  type TAgentProvider,
  type TAgentTool,
} from "@mission-control/shared/schemas";

/**
 * The agent editor's form state: what the operator typed, as text (numbers stay strings until
 * parsed, empty means "inherit"). parseAgentDraft turns it into a validated profile.
 */
export interface TAgentDraft {
  agent_key: string;
  display_name: string;
  role: string;
  enabled: boolean;
  /** A provider choice (see encodeProviderChoice): "" inherits the project default. */
  provider: string;
  model: string;
  system_prompt: string;
  temperature: string;
  max_context_tokens: string;
  max_output_tokens: string;
  tools_enabled: TAgentTool[];
  risk_tolerance: (typeof RISK_LEVELS)[number];
  /** "" inherits the project default. */
  verbosity: "" | (typeof AGENT_VERBOSITIES)[number];
  capabilities: string[];
}

/** A field of the editor, named like the profile column it edits. */
export type TDraftField = keyof TAgentDraft;

/** The select value of "Inherit project default". */
export const INHERIT = "";

/** The provider select's value for a provider (and, for `connection`, which one). */
export function encodeProviderChoice(provider: TAgentProvider | null, connectionId: string | null): string {
  if (provider === null) return INHERIT;
  return provider === "connection" ? `connection:${connectionId ?? ""}` : provider;
}

/** The provider and connection a select value stands for; unknown values inherit. */
export function decodeProviderChoice(choice: string): { provider: TAgentProvider | null; provider_connection_id: string | null } {
  if (choice.startsWith("connection:")) {
    const id = choice.slice("connection:".length);
    return { provider: "connection", provider_connection_id: id || null };
  }
  const provider = AGENT_PROVIDERS.find((p) => p === choice && p !== "connection");
  return { provider: provider ?? null, provider_connection_id: null };
}

const text = (value: number | string | null | undefined) => (value === null || value === undefined ? "" : String(value));

/** The form state for an existing agent, or for a new one (enabled, low risk, no tools, everything inherited). */
export function draftFromAgent(agent: TAgent | null): TAgentDraft {
  if (!agent) {
    return {
      agent_key: "",
      display_name: "",
      role: "",
      enabled: true,
      provider: INHERIT,
      model: "",
      system_prompt: "",
      temperature: "",
      max_context_tokens: "",
      max_output_tokens: "",
      // A new agent may read the workspace and the board; anything that changes something is opted into.
      tools_enabled: [...READ_ONLY_TOOLS],
      risk_tolerance: "low",
      verbosity: "",
      capabilities: [],
    };
  }
  return {
    agent_key: agent.agent_key,
    display_name: agent.display_name,
    role: agent.role,
    enabled: agent.enabled,
    provider: encodeProviderChoice(agent.provider, agent.provider_connection_id),
    model: text(agent.model),
    system_prompt: agent.system_prompt,
    temperature: text(agent.temperature),
    max_context_tokens: text(agent.max_context_tokens),
    max_output_tokens: text(agent.max_output_tokens),
    tools_enabled: [...agent.tools_enabled],
    risk_tolerance: agent.risk_tolerance,
    verbosity: agent.verbosity ?? "",
    capabilities: [...agent.capabilities],
  };
}

/** Each field's label in the editor (Playwright finds the fields by these). */
export const FIELD_LABELS: Record<TDraftField, string> = {
  agent_key: "Key",
  display_name: "Display name",
  role: "Role",
  enabled: "Enabled",
  provider: "Provider",
  model: "Model",
  system_prompt: "System prompt",
  temperature: "Temperature",
  max_context_tokens: "Max context tokens",
  max_output_tokens: "Max output tokens",
  tools_enabled: "Tools enabled",
  risk_tolerance: "Risk tolerance",
  verbosity: "Verbosity",
  capabilities: "Capabilities",
};
