import { errors, request } from "undici";
import type { TApiCallParams } from "./action-params.ts";
import { refused, type TActionContext, type TActionOutcome } from "./action-types.ts";
import { isHostAllowed, readApiAllowlist } from "./read-api-allowlist.ts";

/**
 * api_call: one HTTP request with undici, only to a host on the project's allowlist
 * (project_settings 'api_allowlist'), never following redirects, with a deadline for the headers
 * and the body. Records the status, the content type and a truncated body. A 4xx/5xx answer fails
 * the proposal with the response kept in the result.
 */
export async function apiCall(ctx: TActionContext, params: TApiCallParams): Promise<TActionOutcome> {
  const url = new URL(params.url);
  let hosts: string[];
  try {
    hosts = await readApiAllowlist(ctx.db, ctx.proposal.project_id);
  } catch (err) {
    return refused(`${(err as Error).message}: the request was not sent`);
  }
  if (!isHostAllowed(url, hosts)) {
    return refused(
      `Host ${url.host} is not on this project's api_allowlist (${hosts.length ? hosts.join(", ") : "empty"}): the request was not sent. Add it to project_settings api_allowlist {"hosts": [...]} and propose again.`,
    );
  }
  const timeoutMs = params.timeout_ms ?? ctx.apiCall.defaultTimeoutMs;
  const deadline = AbortSignal.timeout(timeoutMs);
  const startedAt = performance.now();
  const body = params.body === undefined ? undefined : JSON.stringify(params.body);
  try {
    const response = await request(url, {
      method: params.method,
      headers: {
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
        ...params.headers,
      },
      body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.any([ctx.signal, deadline]),
    });
    const text = await response.body.text();
    const truncated = text.length > ctx.apiCall.maxBodyChars;
    const result = {
      method: params.method,
      url: url.toString(),
      status: response.statusCode,
      content_type: String(response.headers["content-type"] ?? ""),
      body: truncated ? text.slice(0, ctx.apiCall.maxBodyChars) : text,
      body_truncated: truncated,
      body_chars: text.length,
      duration_ms: Math.round(performance.now() - startedAt),
    };
    if (response.statusCode >= 400) return refused(`${url.host} answered HTTP ${response.statusCode}`, result);
    return { ok: true, result };
  } catch (err) {
    const took = Math.round(performance.now() - startedAt);
    if (ctx.signal.aborted) {
      return refused(`outcome unknown: check before retrying (the executor stopped while ${url.host} had not answered)`);
    }
    if (deadline.aborted || err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError) {
      return refused(`outcome unknown: check before retrying (${url.host} did not answer within ${timeoutMs} ms)`, { duration_ms: took });
    }
    return refused(`The request to ${url.host} failed: ${(err as Error).message}`, { duration_ms: took });
  }
}
