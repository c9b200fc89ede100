import { setTimeout as delay } from "node:timers/promises";
import { AppError, assertNever } from "@mission-control/shared/errors";
import pino from "pino";
import { Agent } from "undici";
import { readChildProcessEnv } from "../env.ts";
import { completeAnthropic } from "./complete-anthropic.ts";
import { completeAnthropicWithTools } from "./complete-anthropic-with-tools.ts";
import { completeBuiltin } from "./complete-builtin.ts";
import { completeBuiltinWithTools } from "./complete-builtin-with-tools.ts";
import { completeCli } from "./complete-cli.ts";
import { completeOpenAiCompatible } from "./complete-openai-compatible.ts";
import { completeOpenAiCompatibleWithTools } from "./complete-openai-compatible-with-tools.ts";
import {
  type TProvider,
  type TProviderConfig,
  type TProviderConfigInput,
  type TProviderDeps,
  type TSleep,
  ZProviderConfig,
} from "./provider-types.ts";
import type { TProviderRuntime } from "./run-provider-call.ts";

const silentLog = pino({ level: "silent" });

/** The default sleep: a real timer that rejects with `signal.reason` on abort. */
export const sleepWithTimer: TSleep = async (ms, signal) => {
  await delay(ms, undefined, signal ? { signal } : undefined);
};

/**
 * Builds a provider from its configuration (validated here; an invalid one throws `config_invalid`
 * naming the field, never echoing the key). Network providers own an undici Agent sized by their
 * timeouts unless `deps.dispatcher` is given; `close()` releases it. A CLI agent spawns its program
 * per call with `deps.childEnv` (default: the executor's environment without its secrets). Every
 * kind but the CLI agent can also call tools (`completeWithTools`).
 */
export function createProvider(config: TProviderConfigInput | TProviderConfig, deps: TProviderDeps = {}): TProvider {
  const parsed = ZProviderConfig.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join(".") || "(root)";
    throw new AppError("config_invalid", {
      message: `Provider configuration is invalid at ${path}: ${issue?.message ?? "invalid"}. Fix it in the provider settings`,
      details: { path, kind: (config as { kind?: unknown }).kind ?? null },
    });
  }
  const valid = parsed.data;
  if (valid.kind === "builtin") {
    return {
      kind: "builtin",
      complete: (request) => completeBuiltin(request),
      completeWithTools: (request) => completeBuiltinWithTools(request),
      close: async () => {},
    };
  }
  if (valid.kind === "cli") {
    const childEnv = deps.childEnv ?? readChildProcessEnv();
    return { kind: "cli", complete: (request) => completeCli(valid, request, { childEnv }), close: async () => {} };
  }
  const ownAgent = deps.dispatcher
    ? null
    : new Agent({
        connect: { timeout: valid.timeouts.connectMs },
        headersTimeout: valid.timeouts.headersMs,
        bodyTimeout: valid.timeouts.bodyMs,
      });
  const runtime: TProviderRuntime = {
    dispatcher: deps.dispatcher ?? (ownAgent as Agent),
    sleep: deps.sleep ?? sleepWithTimer,
    now: deps.now ?? Date.now,
    random: deps.random ?? Math.random,
    log: deps.log ?? silentLog,
  };
  let closed: Promise<void> | null = null;
  const close = () => {
    closed ??= ownAgent ? ownAgent.close().then(() => undefined) : Promise.resolve();
    return closed;
  };
  const guarded = <TRequest, TResult>(complete: (request: TRequest) => Promise<TResult>) => {
    return (request: TRequest): Promise<TResult> => {
      if (closed)
        return Promise.reject(new AppError("internal", { message: "This provider was closed: create a new one with createProvider()" }));
      return complete(request);
    };
  };
  switch (valid.kind) {
    case "openai_compatible":
      return {
        kind: valid.kind,
        complete: guarded((request) => completeOpenAiCompatible(valid, request, runtime)),
        completeWithTools: guarded((request) => completeOpenAiCompatibleWithTools(valid, request, runtime)),
        close,
      };
    case "anthropic":
      return {
        kind: valid.kind,
        complete: guarded((request) => completeAnthropic(valid, request, runtime)),
        completeWithTools: guarded((request) => completeAnthropicWithTools(valid, request, runtime)),
        close,
      };
    default:
      return assertNever(valid);
  }
}
