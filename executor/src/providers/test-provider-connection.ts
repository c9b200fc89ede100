import type { TTestProviderAnswer } from "@mission-control/shared/control-api";
import { type AppError, coerceError } from "@mission-control/shared/errors";
import type { TKeks } from "../keys/provider-keks.ts";
import { connectionToProviderConfig, type TConnectionWithSecretInput } from "./connection-to-provider-config.ts";
import { createProvider } from "./create-provider.ts";
import type { TProviderConfig, TProviderDeps } from "./provider-types.ts";
import { collectSecrets, redactSecrets } from "./read-provider-error.ts";

/** What a connection test asks the model. */
export const TEST_PROMPT = "Reply with the word OK.";
/** The longest a connection test waits for an answer. */
export const TEST_TIMEOUT_MS = 30_000;
const TEST_MAX_OUTPUT_TOKENS = 16;
const REPLY_CHARS = 500;

/**
 * Makes one small request on a provider connection with its stored key ("Reply with the word OK.",
 * at most 16 output tokens, one attempt, 30 s; a CLI agent runs its command with the same prompt)
 * and says what happened in words: the answer, or why it failed (the key was refused, unknown
 * model, unreachable host, timeout…). Never throws for the provider's failures and never puts the
 * key in the answer.
 */
export async function testProviderConnection(
  connection: TConnectionWithSecretInput,
  options: { keks: TKeks; workspaceDir: string; model?: string; deps?: TProviderDeps },
): Promise<TTestProviderAnswer> {
  const resolved = connectionToProviderConfig(connection, { keks: options.keks, workspaceDir: options.workspaceDir });
  if (resolved.config === null) return { ok: false, message: resolved.reason, model: null, latency_ms: null, reply: null };
  const config = limitForTest(resolved.config);
  const model = options.model ?? resolved.defaultModel ?? (config.kind === "cli" ? "cli" : null);
  if (model === null) {
    return {
      ok: false,
      message: `Connection "${connection.name}" has no default model: give it one in Settings → Providers, or name the model to test`,
      model: null,
      latency_ms: null,
      reply: null,
    };
  }
  const secrets = "apiKey" in config ? collectSecrets(config.apiKey, config.headers) : [];
  const started = performance.now();
  const provider = createProvider(config, options.deps);
  try {
    const result = await provider.complete({
      model,
      messages: [{ role: "user", content: TEST_PROMPT }],
      maxOutputTokens: TEST_MAX_OUTPUT_TOKENS,
    });
    return {
      ok: true,
      message: `"${connection.name}" answered with model ${result.model} in ${Math.round(result.latencyMs)} ms`,
      model: result.model,
      latency_ms: Math.round(result.latencyMs),
      reply: redactSecrets(result.text.trim().slice(0, REPLY_CHARS), secrets),
    };
  } catch (err) {
    return {
      ok: false,
      message: redactSecrets(describeTestFailure(coerceError(err), model), secrets),
      model,
      latency_ms: Math.round(performance.now() - started),
      reply: null,
    };
  } finally {
    await provider.close();
  }
}

/** One attempt within the test's deadline: a test should answer quickly, not retry for minutes. */
function limitForTest(config: TProviderConfig): TProviderConfig {
  switch (config.kind) {
    case "builtin":
      return config;
    case "cli":
      return { ...config, timeoutMs: Math.min(config.timeoutMs, TEST_TIMEOUT_MS) };
    case "openai_compatible":
    case "anthropic": {
      const cap = (ms: number) => Math.min(ms, TEST_TIMEOUT_MS);
      const { connectMs, headersMs, bodyMs } = config.timeouts;
      return {
        ...config,
        retry: { ...config.retry, maxAttempts: 1 },
        timeouts: { connectMs: cap(connectMs), headersMs: cap(headersMs), bodyMs: cap(bodyMs), totalMs: TEST_TIMEOUT_MS },
      };
    }
  }
}

/** The provider's failure, headed by what it means for the operator. */
function describeTestFailure(error: AppError, model: string): string {
  const status = typeof error.details.status === "number" ? error.details.status : null;
  if (status === 401) return `401: the key was refused. Set it again with "Set key" (copied whole, still active). ${error.message}`;
  if (status === 403) return `403: the key may not use model "${model}". ${error.message}`;
  if (status === 404) return `404: unknown model "${model}", or a wrong base URL. ${error.message}`;
  if (status === 400 && /model/i.test(error.message)) return `Unknown model "${model}" (HTTP 400). ${error.message}`;
  if (status === 429) return `429: rate limited. ${error.message}`;
  switch (error.code) {
    case "provider_unreachable":
      return status === null ? `Unreachable host. ${error.message}` : `The provider failed (HTTP ${status}). ${error.message}`;
    case "provider_timeout":
      return `No answer within ${TEST_TIMEOUT_MS / 1000} s. ${error.message}`;
    default:
      return error.message;
  }
}
