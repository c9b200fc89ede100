import type { IncomingMessage } from "node:http";
import { httpError } from "../http/http-helpers.ts";

/** The `Prefer` header, split into what PostgREST understands. */
export interface TPrefer {
  return: "representation" | "minimal" | "headers-only" | null;
  count: "exact" | "planned" | "estimated" | null;
  resolution: "merge-duplicates" | "ignore-duplicates" | null;
  missing: "default" | "null" | null;
  paramsSingleObject: boolean;
  txRollback: boolean;
  /** `max-affected=N`, enforced only together with `handling=strict`, as PostgREST does. */
  maxAffected: number | null;
  strict: boolean;
}

/** Parses `Prefer: return=representation, count=exact` (repeated headers are joined by commas). */
export function parsePrefer(req: IncomingMessage): TPrefer {
  const prefer: TPrefer = {
    return: null,
    count: null,
    resolution: null,
    missing: null,
    paramsSingleObject: false,
    txRollback: false,
    maxAffected: null,
    strict: false,
  };
  const raw = req.headers.prefer;
  const text = Array.isArray(raw) ? raw.join(",") : (raw ?? "");
  for (const part of text.split(/[,;]/)) {
    const [key = "", value = ""] = part
      .trim()
      .split("=")
      .map((s) => s.trim());
    if (key === "return" && (value === "representation" || value === "minimal" || value === "headers-only")) prefer.return = value;
    else if (key === "count" && (value === "exact" || value === "planned" || value === "estimated")) prefer.count = value;
    else if (key === "resolution" && (value === "merge-duplicates" || value === "ignore-duplicates")) prefer.resolution = value;
    else if (key === "missing" && (value === "default" || value === "null")) prefer.missing = value;
    else if (key === "params" && value === "single-object") prefer.paramsSingleObject = true;
    else if (key === "tx" && value === "rollback") prefer.txRollback = true;
    else if (key === "handling" && value === "strict") prefer.strict = true;
    else if (key === "max-affected" && /^\d{1,15}$/.test(value)) prefer.maxAffected = Number(value);
  }
  return prefer;
}

/** What the client asked to get back. */
export interface TAccept {
  kind: "array" | "object" | "csv";
  stripNulls: boolean;
}

/** Parses `Accept`; anything the gateway cannot produce is PostgREST's 406 PGRST107. */
export function parseAccept(req: IncomingMessage): TAccept {
  const raw = req.headers.accept ?? "*/*";
  const offers = raw.split(",").map((offer) => offer.trim());
  for (const offer of offers) {
    const [type = "", ...params] = offer.split(";").map((s) => s.trim().toLowerCase());
    const stripNulls = params.includes("nulls=stripped");
    if (type === "application/vnd.pgrst.object+json" || type === "application/vnd.pgrst.object") return { kind: "object", stripNulls };
    if (type === "application/json" || type === "application/vnd.pgrst.array+json" || type === "*/*" || type === "application/*") {
      return { kind: "array", stripNulls };
    }
    if (type === "text/csv") return { kind: "csv", stripNulls: false };
    if (type === "application/openapi+json") return { kind: "array", stripNulls: false };
  }
  throw httpError(
    406,
    "PGRST107",
    `None of these media types are available: ${raw}`,
    null,
    "Ask for application/json, application/vnd.pgrst.object+json or text/csv",
  );
}

/** Schemas a request may name in Accept-Profile / Content-Profile; the first is the default. */
export const EXPOSED_SCHEMAS = ["public", "graphql_public"];

/** The schema a request targets: `Accept-Profile` for GET/HEAD, `Content-Profile` otherwise. */
export function requestSchema(req: IncomingMessage): string {
  const header = req.method === "GET" || req.method === "HEAD" ? req.headers["accept-profile"] : req.headers["content-profile"];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === "") return EXPOSED_SCHEMAS[0] as string;
  if (!EXPOSED_SCHEMAS.includes(value)) {
    throw httpError(
      406,
      "PGRST106",
      `The schema must be one of the following: ${EXPOSED_SCHEMAS.join(", ")}`,
      null,
      "Expose the schema in [api] schemas of supabase/config.toml, or use one of the listed schemas",
    );
  }
  return value;
}
