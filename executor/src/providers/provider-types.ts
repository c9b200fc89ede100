import type { Logger } from "pino";
import type { Dispatcher } from "undici";
import { z } from "zod";

/**
 * The provider families Mission Control speaks: two HTTP APIs, a command-line program run in the
 * workspace, and the built-in offline model. (Which one an agent uses is `agents.provider`, resolved
 * to one of these.)
 */
export type TProviderKind = "builtin" | "openai_compatible" | "anthropic" | "cli";

/** One message of a chat, in the provider-neutral shape every provider accepts. */
export type TChatMessage = { role: "system" | "user" | "assistant"; content: string };

/** Validates a chat message arriving from outside (queue payloads, HTTP bodies). */
export const ZChatMessage = z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() });

/** Why the model stopped, normalised across providers. */
export type TFinishReason = "stop" | "length" | "content_filter" | "tool_use" | "other";

/** What to ask a provider for. */
export type TCompletionRequest = {
  model: string;
  messages: TChatMessage[];
  temperature?: number;
  maxOutputTokens?: number;
  /** Cancels the call; the promise then rejects with `signal.reason` and nothing is retried. */
  signal?: AbortSignal;
  /** Receives the reply in pieces, in order; the pieces concatenate to `result.text`. */
  onDelta?: (text: string) => void;
  /** Ask the provider to stream. Defaults to true when `onDelta` is set. */
  stream?: boolean;
};

/** Token usage of one completion. `estimated` is true when the provider did not report it and we counted. */
export type TTokenUsage = { inputTokens: number; outputTokens: number; estimated: boolean };

/** The reply of a provider, with what it cost and how long it took. */
export type TCompletionResult = {
  text: string;
  model: string;
  provider: TProviderKind;
  usage: TTokenUsage;
  finishReason: TFinishReason;
  /** True when no network was used (the built-in model). */
  offline: boolean;
  latencyMs: number;
  /** HTTP attempts made (1 when nothing was retried; 0 for the built-in model). */
  attempts: number;
};

/** A tool offered to the model: its name, what it does and its parameters as a JSON Schema object. */
export type TToolDefinition = { name: string; description: string; parameters: Record<string, unknown> };

/**
 * A tool call the model made. `arguments` is the parsed JSON; when the model sent text that is not
 * JSON, `arguments` is null, `argumentsError` says why and `rawArguments` keeps the text, so the
 * caller can answer the call with an error instead of losing it.
 */
export type TToolCall = {
  id: string;
  name: string;
  arguments: unknown;
  rawArguments: string;
  argumentsError: string | null;
};

/**
 * One message of an agent loop, provider-neutral: the model's turns carry the tool calls they made,
 * and each call is answered by a `tool` message with the same `toolCallId` (`isError` when the tool
 * failed or refused, so the model can correct itself).
 */
export type TLoopMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls: TToolCall[] }
  | { role: "tool"; toolCallId: string; toolName: string; content: string; isError: boolean };

/** What to ask a provider for in an agent loop: the transcript so far and the tools offered. Never streamed. */
export type TToolCompletionRequest = {
  model: string;
  messages: TLoopMessage[];
  /** The tools the model may call; empty means none (the model must answer in words). */
  tools: TToolDefinition[];
  temperature?: number;
  maxOutputTokens?: number;
  /** Cancels the call; the promise then rejects with `signal.reason` and nothing is retried. */
  signal?: AbortSignal;
};

/** A reply in an agent loop: the usual result (its `text` may be empty when it only calls tools) and the tool calls, in order. */
export type TToolCompletionResult = TCompletionResult & { toolCalls: TToolCall[] };

/** A configured provider: send messages, get a reply. */
export interface TProvider {
  readonly kind: TProviderKind;
  complete(request: TCompletionRequest): Promise<TCompletionResult>;
  /**
   * One step of an agent loop with tools (OpenAI-compatible `tools`, Anthropic `tool_use`, the
   * built-in scripted agent). Absent for providers that cannot call tools (CLI agents): the loop
   * then asks for one plain completion.
   */
  completeWithTools?(request: TToolCompletionRequest): Promise<TToolCompletionResult>;
  /** Releases pooled connections. Safe to call more than once. */
  close(): Promise<void>;
}

/** Time limits of one provider call. */
export const ZProviderTimeouts = z.object({
  /** Establishing the TCP/TLS connection. */
  connectMs: z.int().positive().default(10_000),
  /** From sending the request to receiving the response headers (a model may think before answering). */
  headersMs: z.int().positive().default(120_000),
  /** Longest silence between two chunks of the body. */
  bodyMs: z.int().positive().default(60_000),
  /** The whole call, retries and back-off included. */
  totalMs: z.int().positive().default(300_000),
});
/** Time limits of one provider call, defaults applied. */
export type TProviderTimeouts = z.infer<typeof ZProviderTimeouts>;

/** Retry policy for 408, 429, 5xx and connection failures. */
export const ZProviderRetry = z.object({
  /** Attempts in total, the first one included. */
  maxAttempts: z.int().min(1).max(10).default(3),
  /** First back-off; doubles on each further attempt. */
  baseDelayMs: z.int().nonnegative().default(500),
  /** Ceiling of the exponential back-off. */
  maxDelayMs: z.int().nonnegative().default(8_000),
  /** Ceiling applied to a server's `Retry-After`. */
  maxRetryAfterMs: z.int().nonnegative().default(30_000),
});
/** Retry policy, defaults applied. */
export type TProviderRetry = z.infer<typeof ZProviderRetry>;

const ZHttpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as http://127.0.0.1:11434/v1" });

const ZNetworkSettings = {
  /** A human name used in messages ("OpenRouter", "Ollama on the NAS"). */
  name: z.string().min(1).max(80).optional(),
  timeouts: ZProviderTimeouts.prefault({}),
  retry: ZProviderRetry.prefault({}),
};

/** An OpenAI-compatible endpoint: OpenAI, Ollama, vLLM, LM Studio, OpenRouter. */
export const ZOpenAiCompatibleConfig = z.object({
  kind: z.literal("openai_compatible"),
  /** Base URL up to and including the version, e.g. `http://127.0.0.1:11434/v1`; `/chat/completions` is appended. */
  baseUrl: ZHttpUrl,
  /** Sent as `Authorization: Bearer …` when set. */
  apiKey: z.string().min(1).optional(),
  /** True for servers that need no key (Ollama, LM Studio, a local vLLM): used even without `apiKey`. */
  keyless: z.boolean().default(false),
  /** Extra headers, e.g. OpenRouter's `HTTP-Referer`. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Ask for usage in the last streamed chunk (`stream_options.include_usage`); turn off for servers that reject it. */
  streamUsage: z.boolean().default(true),
  /** Name of the output-limit field: most servers take `max_tokens`; OpenAI's reasoning models want `max_completion_tokens`. */
  maxTokensField: z.enum(["max_tokens", "max_completion_tokens"]).default("max_tokens"),
  ...ZNetworkSettings,
});

/** Anthropic's Messages API. */
export const ZAnthropicConfig = z.object({
  kind: z.literal("anthropic"),
  baseUrl: ZHttpUrl.default("https://api.anthropic.com"),
  apiKey: z.string().min(1, "is required for Anthropic"),
  version: z.string().min(1).default("2023-06-01"),
  /** `max_tokens` is mandatory for Anthropic: used when the request sets no `maxOutputTokens`. */
  defaultMaxOutputTokens: z.int().positive().default(1024),
  headers: z.record(z.string(), z.string()).default({}),
  ...ZNetworkSettings,
});

/** The deterministic offline model: no key, no network. */
export const ZBuiltinConfig = z.object({ kind: z.literal("builtin"), name: z.string().min(1).max(80).optional() });

/**
 * A command-line agent (Claude Code, Codex, any program that reads a prompt on stdin and writes its
 * answer to stdout), run without a shell inside the workspace.
 */
export const ZCliConfig = z.object({
  kind: z.literal("cli"),
  /** The command line, e.g. `claude -p` (quotes allowed; pipes, redirects and variables are refused). */
  command: z.string().trim().min(1, "is required for a CLI agent").max(2000),
  /** The program is killed (with its children) when it runs longer. */
  timeoutMs: z.int().positive().max(3_600_000).default(300_000),
  /** Working directory: the executor's WORKSPACE_DIR. */
  cwd: z.string().min(1),
  /** Output beyond this is dropped and a note says so. */
  maxOutputChars: z.int().positive().default(100_000),
  name: z.string().min(1).max(80).optional(),
});

/** A provider's configuration, discriminated by `kind`. */
export const ZProviderConfig = z.discriminatedUnion("kind", [ZOpenAiCompatibleConfig, ZAnthropicConfig, ZCliConfig, ZBuiltinConfig]);
/** A provider's configuration with defaults applied. */
export type TProviderConfig = z.infer<typeof ZProviderConfig>;
/** A provider's configuration as written by a user (defaults optional). */
export type TProviderConfigInput = z.input<typeof ZProviderConfig>;
/** OpenAI-compatible configuration, defaults applied. */
export type TOpenAiCompatibleConfig = z.infer<typeof ZOpenAiCompatibleConfig>;
/** Anthropic configuration, defaults applied. */
export type TAnthropicConfig = z.infer<typeof ZAnthropicConfig>;
/** CLI agent configuration, defaults applied. */
export type TCliConfig = z.infer<typeof ZCliConfig>;

/** Waits `ms`, rejecting with `signal.reason` when the signal aborts. */
export type TSleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** What a provider needs from the outside world; every field is injectable for tests. */
export type TProviderDeps = {
  /** Connection pool; by default each provider owns an undici Agent built from its timeouts. */
  dispatcher?: Dispatcher;
  sleep?: TSleep;
  /** Wall clock in ms, used for `Retry-After` dates and the deadline check before a back-off. */
  now?: () => number;
  /** Source of jitter in [0, 1). */
  random?: () => number;
  log?: Logger;
  /** The environment CLI agents run with; by default the executor's own without its secrets (readChildProcessEnv). */
  childEnv?: NodeJS.ProcessEnv;
};
