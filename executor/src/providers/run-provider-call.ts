import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { Dispatcher } from "undici";
import { errors as undiciErrors } from "undici";
import type { TProviderKind, TProviderRetry, TProviderTimeouts, TSleep } from "./provider-types.ts";

/** The injected helpers every network provider uses (see TProviderDeps for the defaults). */
export type TProviderRuntime = {
  dispatcher: Dispatcher;
  sleep: TSleep;
  now: () => number;
  random: () => number;
  log: Logger;
};

/** Everything one network provider call needs: who it talks to, its limits and its injected helpers. */
export type TProviderCallContext = TProviderRuntime & {
  kind: TProviderKind;
  /** Human name for messages, e.g. `OpenAI-compatible server at http://127.0.0.1:11434/v1`. */
  label: string;
  baseUrl: string;
  model: string;
  /** Values that must never appear in an error message (API keys, auth headers). */
  secrets: readonly string[];
  timeouts: TProviderTimeouts;
  retry: TProviderRetry;
};

/**
 * Runs `work` under the caller's signal and the total deadline (`timeouts.totalMs`), then turns
 * what went wrong into one AppError: the caller's abort rejects with `signal.reason` (a clean
 * cancellation, never wrapped), the deadline and undici's timeouts become `provider_timeout`,
 * connection failures `provider_unreachable`. AppErrors and unrelated errors pass through.
 */
export async function runProviderCall<T>(
  ctx: TProviderCallContext,
  signal: AbortSignal | undefined,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  signal?.throwIfAborted();
  // One controller for both causes, and a timer cleared as soon as the call ends (no lingering timers per call).
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException(`Provider call exceeded ${ctx.timeouts.totalMs} ms`, "TimeoutError"));
  }, ctx.timeouts.totalMs);
  const forwardAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener("abort", forwardAbort, { once: true });
  try {
    return await work(controller.signal);
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    if (err instanceof AppError) throw err;
    if (timedOut) {
      throw new AppError("provider_timeout", {
        message: `${ctx.label} did not finish within ${ctx.timeouts.totalMs} ms (model "${ctx.model}"): try again, pick a faster model or raise timeouts.totalMs`,
        cause: err,
        details: { provider: ctx.kind, timeoutMs: ctx.timeouts.totalMs },
      });
    }
    throw translateTransportError(err, ctx, { attempts: 1 }) ?? err;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener("abort", forwardAbort);
  }
}

/** True for failures of the connection itself (refused, reset, DNS, timeouts): worth retrying. */
export function isTransportError(err: unknown): boolean {
  if (err instanceof undiciErrors.UndiciError) return !(err instanceof undiciErrors.InvalidArgumentError);
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === "string" && "syscall" in err;
}

/** Maps a transport failure to `provider_timeout` or `provider_unreachable`; returns null for anything else. */
export function translateTransportError(err: unknown, ctx: TProviderCallContext, facts: { attempts: number }): AppError | null {
  if (!isTransportError(err)) return null;
  const details = { provider: ctx.kind, attempts: facts.attempts, code: (err as { code?: string }).code ?? null };
  const tried = facts.attempts > 1 ? ` after ${facts.attempts} attempts` : "";
  if (err instanceof undiciErrors.HeadersTimeoutError) {
    return new AppError("provider_timeout", {
      message: `${ctx.label} sent no response within ${ctx.timeouts.headersMs} ms${tried} (model "${ctx.model}"): the server is overloaded or the model is still loading; try again or raise timeouts.headersMs`,
      cause: err,
      details,
    });
  }
  if (err instanceof undiciErrors.BodyTimeoutError) {
    return new AppError("provider_timeout", {
      message: `${ctx.label} went silent for ${ctx.timeouts.bodyMs} ms in the middle of its reply (model "${ctx.model}"): try again or raise timeouts.bodyMs`,
      cause: err,
      details,
    });
  }
  if (err instanceof undiciErrors.ConnectTimeoutError) {
    return new AppError("provider_timeout", {
      message: `Could not connect to ${ctx.label} within ${ctx.timeouts.connectMs} ms${tried}: check that the server is running and reachable from the executor`,
      cause: err,
      details,
    });
  }
  const reason = err instanceof Error ? err.message : String(err);
  return new AppError("provider_unreachable", {
    message: `Cannot reach ${ctx.label}${tried} (${reason}): check that the server is running and that the base URL ${ctx.baseUrl} is right`,
    cause: err,
    details,
  });
}
