import type { IncomingMessage } from "node:http";
import { readApiConfig } from "../config/read-api-config.ts";
import { fairKeyOf, isPriorityRequest, type TFairPool } from "../db/create-fair-pool.ts";
import type { TRequestIdentity } from "../db/with-claims.ts";
import { httpError, sendJson } from "../http/http-helpers.ts";
import type { TGatewayContext, THttpModule } from "../http/module-context.ts";
import { describeOpenApi } from "./describe-openapi.ts";
import { handleDelete } from "./handle-delete.ts";
import { handleInsert } from "./handle-insert.ts";
import { handleRead } from "./handle-read.ts";
import { handleRpc } from "./handle-rpc.ts";
import { handleUpdate } from "./handle-update.ts";
import { listenForSchemaReload } from "./listen-for-schema-reload.ts";
import { loadSchemaCache } from "./load-schema-cache.ts";
import { notImplemented } from "./parse-error.ts";
import { parseAccept, parsePrefer, requestSchema } from "./parse-headers.ts";
import { createIdentityCache } from "./resolve-cached-identity.ts";
import type { TRequestPool, TRestRequest } from "./rest-request.ts";
import { requireTable, type TSchemaCache } from "./schema-cache.ts";

/** The REST module: the gateway's HTTP handler plus an explicit schema cache reload. */
export interface TRestApi extends THttpModule {
  reloadSchema(): Promise<void>;
}

/**
 * PostgREST-compatible `/rest/v1`: a schema cache of the exposed schemas (reloaded on
 * `NOTIFY pgrst, 'reload schema'`), reads, writes and RPC run as the caller's role.
 */
export async function createRestApi(ctx: TGatewayContext): Promise<TRestApi> {
  const log = ctx.log.child({ module: "rest" });
  // config.toml [api]: exposed schemas (PostgREST db-schemas), extra_search_path, max_rows; read once at start like PostgREST.
  const api = readApiConfig();
  let cache: TSchemaCache = await loadSchemaCache(ctx.adminPool, api.schemas);
  let reloading: Promise<void> | undefined;
  let again = false;

  const reloadSchema = async (): Promise<void> => {
    if (reloading) {
      again = true;
      return reloading;
    }
    reloading = (async () => {
      do {
        again = false;
        try {
          cache = await loadSchemaCache(ctx.adminPool, api.schemas);
          log.debug({ tables: cache.tables.size }, "schema cache reloaded");
        } catch (err) {
          log.error({ err }, "schema cache reload failed; requests keep using the previous cache");
        }
      } while (again);
    })().finally(() => {
      reloading = undefined;
    });
    return reloading;
  };
  const identify = createIdentityCache(ctx.keys);
  const listener = listenForSchemaReload(ctx.adminPool, log, () => void reloadSchema());

  const handle: THttpModule["handle"] = async (req, res, subpath, url) => {
    const method = req.method ?? "GET";
    const identity = await identify(req);
    const { schema, negotiated } = requestSchema(req, api.schemas);
    if (subpath === "/" || subpath === "") {
      if (method !== "GET" && method !== "HEAD") throw httpError(405, "PGRST117", `Unsupported HTTP method: ${method}`);
      sendJson(res, 200, describeOpenApi(cache, schema, ctx.publicUrl), { "content-type": "application/openapi+json; charset=utf-8" });
      return;
    }
    const r: TRestRequest = {
      req,
      res,
      url,
      method,
      cache,
      schema,
      identity,
      prefer: parsePrefer(req),
      accept: parseAccept(req),
      pool: requestPool(ctx.apiPool, identity, req),
      settings: { ...requestSettings(req, method, subpath), search_path: searchPath(schema, api.extraSearchPath) },
      maxRows: api.maxRows,
    };
    if (r.prefer.strict && r.prefer.invalid.length > 0) {
      throw httpError(
        400,
        "PGRST122",
        "Invalid preferences given with handling=strict",
        `Invalid preferences: ${r.prefer.invalid.join(", ")}`,
        null,
      );
    }
    if (r.prefer.timezone !== null) r.settings.timezone = r.prefer.timezone;
    if (r.accept.kind === "plan" && !cache.settings.planEnabled) {
      // PostgREST offers the plan media type only with db-plan-enabled, which hosted Supabase leaves off.
      throw httpError(
        406,
        "PGRST107",
        `None of these media types are available: ${req.headers.accept ?? ""}`,
        null,
        "Turn explain() on as on hosted Supabase: alter role authenticator set pgrst.db_plan_enabled = 'true'; notify pgrst, 'reload config';",
      );
    }
    // PostgREST names the schema in Content-Profile when the request chose it with a profile header (not on errors).
    if (negotiated) res.setHeader("content-profile", schema);
    try {
      await route(r, subpath);
    } catch (err) {
      if (!res.headersSent) res.removeHeader("content-profile");
      throw err;
    }
  };

  return {
    handle,
    reloadSchema,
    close: async () => {
      await listener.stop();
      await reloading;
    },
  };
}

/** Sends a request to the handler of its path: /rpc/<fn> or /<table> by method. */
async function route(r: TRestRequest, subpath: string): Promise<void> {
  const segments = subpath.slice(1).split("/").map(decodeSegment);
  if (segments[0] === "rpc" && segments.length === 2 && segments[1]) {
    await handleRpc(r, segments[1]);
    return;
  }
  if (segments.length !== 1 || !segments[0]) {
    throw httpError(
      404,
      "PGRST125",
      `Invalid path specified in request URL: ${subpath}`,
      null,
      "Use /rest/v1/<table> or /rest/v1/rpc/<function>",
    );
  }
  const table = requireTable(r.cache, r.schema, segments[0]);
  switch (r.method) {
    case "GET":
    case "HEAD":
      return handleRead(r, table);
    case "POST":
      return handleInsert(r, table);
    case "PATCH":
      return handleUpdate(r, table);
    case "DELETE":
      return handleDelete(r, table);
    case "PUT":
      throw notImplemented("PUT (single-row upsert); use POST with Prefer: resolution=merge-duplicates");
    default:
      throw httpError(405, "PGRST117", `Unsupported HTTP method: ${r.method}`, null, "Use GET, HEAD, POST, PATCH or DELETE");
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw httpError(
      400,
      "PGRST100",
      `"failed to parse path (${segment})"`,
      "The path is not valid percent-encoding",
      "Percent-encode table names",
    );
  }
}

/** PostgREST's per-request search_path: the request's schema, then config.toml's extra_search_path. */
function searchPath(schema: string, extra: string[]): string {
  return [schema, ...extra.filter((s) => s !== schema)].map((s) => `"${s.replaceAll('"', '""')}"`).join(", ");
}

/** `request.method`, `request.path` and `request.headers`, as PostgREST sets them for SQL to read. */
function requestSettings(req: IncomingMessage, method: string, subpath: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name !== "cookie" && value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return { "request.method": method, "request.path": `/${subpath.replace(/^\//, "")}`, "request.headers": JSON.stringify(headers) };
}

/**
 * The request's place in the API pool: its identity's turn, or the priority lane when the service
 * role asks for it. The service role (executors, the dashboard's server) is trusted with more
 * connections than a member: every executor shares it, and two of its requests waiting on a lock
 * must not stop them all.
 */
function requestPool(pool: TFairPool, identity: TRequestIdentity, req: IncomingMessage): TRequestPool {
  const key = fairKeyOf(identity);
  const options = { priority: isPriorityRequest(identity, req.headers.priority), trusted: identity.role === "service_role" };
  return { connect: () => pool.connect(key, options) };
}
