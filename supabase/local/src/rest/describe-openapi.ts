import type { TSchemaCache } from "./schema-cache.ts";

/** A small OpenAPI 2.0 description of the exposed tables and functions (what `GET /rest/v1/` returns). */
export function describeOpenApi(cache: TSchemaCache, schema: string, publicUrl: string): unknown {
  const paths: Record<string, unknown> = {
    "/": { get: { produces: ["application/openapi+json"], responses: { 200: { description: "OK" } } } },
  };
  const definitions: Record<string, unknown> = {};
  for (const table of cache.tables.values()) {
    if (table.schema !== schema) continue;
    paths[`/${table.name}`] = {
      get: { tags: [table.name], responses: { 200: { description: "OK" } } },
      ...(table.insertable ? { post: { tags: [table.name] }, patch: { tags: [table.name] }, delete: { tags: [table.name] } } : {}),
    };
    definitions[table.name] = {
      type: "object",
      required: [...table.columns.values()].filter((c) => !c.nullable && c.defaultSql === null).map((c) => c.name),
      properties: Object.fromEntries(
        [...table.columns.values()].map((c) => [
          c.name,
          { format: c.type, ...(table.primaryKey.includes(c.name) ? { description: "Note:\nThis is a Primary Key.<pk/>" } : {}) },
        ]),
      ),
    };
  }
  for (const [key, overloads] of cache.functions) {
    const fn = overloads[0];
    if (!fn || fn.schema !== schema) continue;
    paths[`/rpc/${key.slice(schema.length + 1)}`] = { post: { tags: [`(rpc) ${fn.name}`] } };
  }
  const url = new URL(publicUrl);
  return {
    swagger: "2.0",
    info: { title: "Mission Control local REST API", description: "PostgREST-compatible API of the local Supabase stack", version: "12" },
    host: url.host,
    basePath: "/rest/v1",
    schemes: [url.protocol.replace(":", "")],
    consumes: ["application/json", "application/vnd.pgrst.object+json", "text/csv"],
    produces: ["application/json", "application/vnd.pgrst.object+json", "text/csv"],
    paths,
    definitions,
  };
}
