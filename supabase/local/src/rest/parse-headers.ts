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
  /** `timezone=…`: the transaction's TimeZone setting (Postgres refuses unknown zones). */
  timezone: string | null;
  /** Preferences PostgREST does not know; with handling=strict they are PGRST122. */
  invalid: string[];
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
    timezone: null,
    invalid: [],
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
    else if (key === "timezone" && value !== "") prefer.timezone = value;
    else if (!((key === "tx" && value === "commit") || (key === "handling" && value === "lenient") || part.trim() === "")) {
      prefer.invalid.push(part.trim());
    }
  }
  return prefer;
}

/** What the client asked to get back. */
export interface TAccept {
  kind: "array" | "object" | "csv" | "plan";
  stripNulls: boolean;
  /** `application/vnd.pgrst.plan+text|json; for="…"; options=analyze|verbose|…`: the EXPLAIN of the statement. */
  plan?: { format: "text" | "json"; for: string; options: string[] };
}

const PLAN_OPTIONS: ReadonlySet<string> = new Set(["analyze", "verbose", "settings", "buffers", "wal"]);

/** Parses `Accept`; anything the gateway cannot produce is PostgREST's 406 PGRST107. */
export function parseAccept(req: IncomingMessage): TAccept {
  const raw = req.headers.accept ?? "*/*";
  const offers = raw.split(",").map((offer) => offer.trim());
  for (const offer of offers) {
    const [type = "", ...params] = offer.split(";").map((s) => s.trim().toLowerCase());
    const stripNulls = params.includes("nulls=stripped");
    const plan = /^application\/vnd\.pgrst\.plan(\+(text|json))?$/.exec(type);
    if (plan) {
      const param = (name: string) =>
        params
          .find((p) => p.startsWith(`${name}=`))
          ?.slice(name.length + 1)
          .replaceAll('"', "");
      const options = (param("options") ?? "").split("|").filter((o) => PLAN_OPTIONS.has(o));
      return {
        kind: "plan",
        stripNulls,
        plan: { format: plan[2] === "json" ? "json" : "text", for: param("for") || "application/json", options },
      };
    }
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

/**
 * The schema a request targets: `Accept-Profile` for GET/HEAD, `Content-Profile` otherwise; it must
 * be one of `schemas` (config.toml `[api] schemas`; the first is the default), else PostgREST's 406 PGRST106.
 */
export function requestSchema(req: IncomingMessage, schemas: string[]): { schema: string; negotiated: boolean } {
  const header = req.method === "GET" || req.method === "HEAD" ? req.headers["accept-profile"] : req.headers["content-profile"];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value === "") return { schema: schemas[0] ?? "public", negotiated: false };
  if (!schemas.includes(value)) {
    throw httpError(406, "PGRST106", `Invalid schema: ${value}`, null, `Only the following schemas are exposed: ${schemas.join(", ")}`);
  }
  return { schema: value, negotiated: true };
}
