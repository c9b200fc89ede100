import type { IncomingMessage, ServerResponse } from "node:http";

/** Body of an error in PostgREST's shape; GoTrue and the gateway use the same four fields. */
export interface TApiErrorBody {
  code: string;
  message: string;
  details: string | null;
  hint: string | null;
}

/** An error that maps to one HTTP response. Throw it from any handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: TApiErrorBody | (Record<string, unknown> & { message: string }),
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = "HttpError";
  }
}

/** Shorthand for an HttpError with PostgREST's body shape. */
export function httpError(
  status: number,
  code: string,
  message: string,
  details: string | null = null,
  hint: string | null = null,
): HttpError {
  return new HttpError(status, { code, message, details, hint });
}

/** Largest request body the gateway accepts (PostgREST itself has no limit; a proxy normally does). */
export const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * How much of a too-large body is still read (and thrown away) so that the 413 reaches the client
 * and its keep-alive connection stays usable; past this the connection is closed after the answer.
 */
export const MAX_DRAIN_BYTES = 64 * 1024 * 1024;

/** Deepest JSON nesting a body may have: deeper documents overflow the stack of JSON.stringify and Postgres (a 500). */
export const MAX_JSON_DEPTH = 512;

/**
 * Reads the whole request body as text; refuses bodies over MAX_BODY_BYTES with 413. A refused
 * body is read to its end (up to MAX_DRAIN_BYTES), so the next request on the same keep-alive
 * connection is parsed and answered; a longer one gets `connection: close`.
 */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const tooLarge = (close: boolean) =>
    new HttpError(
      413,
      {
        code: "PGRST413",
        message: `Request body is larger than ${MAX_BODY_BYTES} bytes`,
        details: null,
        hint: "Send fewer rows per request",
      },
      close ? { connection: "close" } : {},
    );
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_DRAIN_BYTES) throw tooLarge(true);
    if (size > MAX_BODY_BYTES) {
      chunks.length = 0;
      continue;
    }
    chunks.push(buf);
  }
  if (size > MAX_BODY_BYTES) throw tooLarge(false);
  return Buffer.concat(chunks).toString("utf8");
}

/** Nesting depth of a JSON text (brackets outside strings), stopping early once it passes `limit`. */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (ch === 0x5d || ch === 0x7d) depth -= 1;
  }
  return false;
}

/** Reads and parses a JSON body; an empty body is `undefined`, bad JSON is a 400 in PostgREST's words. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === "") return undefined;
  if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
    throw httpError(400, "PGRST102", `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`, null, "Send a flatter JSON document");
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw httpError(400, "PGRST102", "Empty or invalid json", (err as Error).message, "Send a valid JSON document as the request body");
  }
}

/** Writes a JSON (or pre-serialised) response. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text).toString(),
    ...headers,
  });
  res.end(text);
}

/** CORS headers for browsers calling the gateway from the dashboard's origin (as hosted Supabase allows). */
export function corsHeaders(req: IncomingMessage): Record<string, string> {
  return {
    "access-control-allow-origin": req.headers.origin ?? "*",
    "access-control-allow-credentials": "true",
    "access-control-allow-methods": "GET, HEAD, POST, PATCH, PUT, DELETE, OPTIONS",
    "access-control-allow-headers":
      req.headers["access-control-request-headers"] ??
      "authorization, apikey, content-type, prefer, accept, accept-profile, content-profile, range, range-unit, x-client-info, x-supabase-api-version",
    "access-control-expose-headers": "content-range, content-location, location, preference-applied, x-supabase-api-version",
    "access-control-max-age": "86400",
    vary: "Origin",
  };
}

/** Bearer token of the request, falling back to the `apikey` header, as hosted Supabase does. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth) {
    const match = /^bearer\s+(.+)$/i.exec(auth.trim());
    if (match?.[1]) return match[1].trim();
  }
  const apikey = req.headers.apikey;
  return typeof apikey === "string" && apikey !== "" ? apikey : undefined;
}
