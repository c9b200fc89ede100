import type { TExecutorEnv } from "../env.ts";

/**
 * The providers configured globally through the environment, keyed the way `agents.provider`
 * names them. A provider without a key is still listed: model config resolution then falls back
 * to the built-in offline model and says why.
 */
export function buildProviderSettings(
  env: Partial<Pick<TExecutorEnv, "OPENAI_BASE_URL" | "OPENAI_API_KEY" | "ANTHROPIC_BASE_URL" | "ANTHROPIC_API_KEY">>,
) {
  return {
    openai_compatible: {
      kind: "openai_compatible",
      name: env.OPENAI_BASE_URL ? undefined : "OpenAI",
      baseUrl: env.OPENAI_BASE_URL ?? "https://api.openai.com/v1",
      apiKey: env.OPENAI_API_KEY,
    },
    anthropic: {
      kind: "anthropic",
      baseUrl: env.ANTHROPIC_BASE_URL ?? "https://api.anthropic.com",
      apiKey: env.ANTHROPIC_API_KEY,
    },
  } satisfies Record<string, Record<string, unknown>>;
}
