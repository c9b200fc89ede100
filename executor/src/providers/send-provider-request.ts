import { AppError } from "@mission-control/shared/errors";
import type { Dispatcher } from "undici";
import { request } from "undici";
import { computeRetryDelay, parseRetryAfter } from "./compute-retry-delay.ts";
import { adviseOnStatus, readProviderErrorMessage } from "./read-provider-error.ts";
import { type TProviderCallContext, translateTransportError } from "./run-provider-call.ts";

/** A successful (2xx) provider response whose body has not been read yet. */
export type TProviderResponse = {
  statusCode: number;
  contentType: string;
  body: Dispatcher.ResponseData["body"];
  /** Attempts it took, the successful one included. */
  attempts: number;
};

const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * POSTs `body` as JSON to `url` and returns the first 2xx response. Retries 408, 429, 5xx and
 * connection failures up to `retry.maxAttempts` with capped exponential back-off and jitter,
 * honouring `Retry-After`, but never past the call's total deadline. Any other status fails at once
 * with `provider_bad_response` carrying the provider's own message and what to do.
 * Only getting a response is retried: a reply that breaks mid-stream is reported, not replayed.
 */
export async function sendProviderRequest(
  ctx: TProviderCallContext,
  call: { url: string; headers: Record<string, string>; body: unknown },
  signal: AbortSignal,
): Promise<TProviderResponse> {
  const payload = JSON.stringify(call.body);
  const deadlineAt = ctx.now() + ctx.timeouts.totalMs;
  for (let attempt = 1; ; attempt++) {
    let failure: { error: AppError; retryAfterMs: number | null; status: number | null };
    try {
      const res = await request(call.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...call.headers },
        body: payload,
        signal,
        dispatcher: ctx.dispatcher,
        headersTimeout: ctx.timeouts.headersMs,
        bodyTimeout: ctx.timeouts.bodyMs,
      });
      const contentType = headerValue(res.headers["content-type"]) ?? "";
      if (res.statusCode >= 200 && res.statusCode < 300)
        return { statusCode: res.statusCode, contentType, body: res.body, attempts: attempt };
      const providerMessage = readProviderErrorMessage(await readLimitedText(res.body), ctx.secrets);
      const error = describeStatusFailure(ctx, res.statusCode, providerMessage, attempt);
      if (!isRetryableStatus(res.statusCode)) throw error;
      const retryAfterMs = parseRetryAfter(
        { retryAfter: headerValue(res.headers["retry-after"]), retryAfterMs: headerValue(res.headers["retry-after-ms"]) },
        ctx.now(),
      );
      failure = { error, retryAfterMs, status: res.statusCode };
    } catch (err) {
      if (signal.aborted || err instanceof AppError) throw err;
      const translated = translateTransportError(err, ctx, { attempts: attempt });
      if (!translated) throw err;
      failure = { error: translated, retryAfterMs: null, status: null };
    }
    if (attempt >= ctx.retry.maxAttempts) throw failure.error;
    const delayMs = computeRetryDelay({ attempt, retry: ctx.retry, retryAfterMs: failure.retryAfterMs, random: ctx.random });
    if (ctx.now() + delayMs > deadlineAt) throw failure.error;
    ctx.log.warn(
      { provider: ctx.kind, model: ctx.model, attempt, status: failure.status, code: failure.error.code, delayMs },
      "provider call failed, retrying",
    );
    await ctx.sleep(delayMs, signal);
  }
}

/** 408 (request timeout), 429 (rate limited) and every 5xx (incl. Anthropic's 529 "overloaded") are transient. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

function describeStatusFailure(ctx: TProviderCallContext, status: number, providerMessage: string, attempts: number): AppError {
  const details = { provider: ctx.kind, status, attempts };
  const tried = attempts > 1 ? ` after ${attempts} attempts` : "";
  if (status === 429) {
    return new AppError("provider_rate_limited", {
      message: `${ctx.label} is rate-limiting requests (HTTP 429${tried}): "${providerMessage}". Wait a minute, make the agents less chatty, or raise your plan's limits`,
      details,
    });
  }
  if (isRetryableStatus(status)) {
    return new AppError("provider_unreachable", {
      message: `${ctx.label} failed with HTTP ${status}${tried}: "${providerMessage}". The provider is down or overloaded: try again later or switch provider`,
      details,
    });
  }
  const advice = adviseOnStatus(status, { label: ctx.label, baseUrl: ctx.baseUrl, model: ctx.model });
  return new AppError("provider_bad_response", {
    message: `${ctx.label} rejected the request with HTTP ${status}: "${providerMessage}". What to do: ${advice}`,
    details,
  });
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readLimitedText(body: Dispatcher.ResponseData["body"]): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
    chunks.push(buf);
    size += buf.length;
    if (size >= MAX_ERROR_BODY_BYTES) {
      body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks).subarray(0, MAX_ERROR_BODY_BYTES).toString("utf8");
}
