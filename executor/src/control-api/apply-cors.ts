import type { IncomingMessage, ServerResponse } from "node:http";
import type { TErrorEnvelope } from "@mission-control/shared/control-api";

/**
 * Sets CORS headers for allowed origins (the dashboard). Returns true when the request was a
 * preflight (OPTIONS) and has been answered.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  res.setHeader("vary", "Origin");
  const allowed = origin !== undefined && allowedOrigins.includes(origin);
  if (allowed) {
    res.setHeader("access-control-allow-origin", origin);
    res.setHeader("access-control-allow-credentials", "true");
  }
  if (req.method !== "OPTIONS") return false;
  if (allowed) {
    res.setHeader("access-control-allow-methods", "GET, POST, OPTIONS");
    res.setHeader("access-control-allow-headers", "authorization, content-type, apikey, x-client-info");
    res.setHeader("access-control-max-age", "600");
    res.writeHead(204);
  } else {
    const envelope: TErrorEnvelope = {
      error: { code: "forbidden", message: `Origin ${origin ?? "(none)"} may not call the Control API: add it to WEB_ORIGIN` },
    };
    res.writeHead(403, { "content-type": "application/json; charset=utf-8" });
    res.write(JSON.stringify(envelope));
  }
  res.end();
  return true;
}
