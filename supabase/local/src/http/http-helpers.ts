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

/** Reads the whole request body as text; refuses bodies over MAX_BODY_BYTES with 413. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > MAX_BODY_BYTES) {
      throw httpError(413, "PGRST413", `Request body is larger than ${MAX_BODY_BYTES} bytes`, null, "Send fewer rows per request");
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads and parses a JSON body; an empty body is `undefined`, bad JSON is a 400 in PostgREST's words. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const text = await readBody(req);
  if (text.trim() === "") return undefined;
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
