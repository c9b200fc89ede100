import type pg from "pg";
import type { TApiRole } from "./load-relation-info.ts";
import { parseChangeFilter, type TChangeFilter } from "./match-change-filter.ts";

/** A validated postgres_changes binding of a join. */
export interface TBindingSpec {
  id: number;
  event: "*" | "INSERT" | "UPDATE" | "DELETE";
  schema: string;
  table: string | null;
  filter: TChangeFilter | null;
}

/** What a join answers about its postgres_changes bindings. */
export interface TResolvedBindings {
  /** The bindings as the client sent them, each with its `id`, same order (the join reply). */
  reply: Array<Record<string, unknown>>;
  specs: TBindingSpec[];
  /** Set when any binding cannot be served: hosted then subscribes none of them. */
  error: string | null;
}

const EVENTS = new Set(["*", "INSERT", "UPDATE", "DELETE"]);

/**
 * Validates postgres_changes bindings against the publication, like hosted Realtime: the table
 * must be published, a filter must name a column the role may read. Every binding gets a numeric
 * id derived from its parameters.
 */
export async function resolvePostgresBindings(
  adminPool: pg.Pool,
  publication: string,
  role: TApiRole,
  raw: unknown[],
): Promise<TResolvedBindings> {
  const reply: Array<Record<string, unknown>> = [];
  const specs: TBindingSpec[] = [];
  let error: string | null = null;
  const params = raw.filter((p): p is Record<string, unknown> => p !== null && typeof p === "object");
  if (params.length === 0) return { reply, specs, error };

  const { rows } = await adminPool.query<{ schema: string; table: string; columns: Record<string, boolean> }>(
    `select pt.schemaname as schema, pt.tablename as table,
       coalesce((select json_object_agg(a.attname, has_column_privilege($2::text, a.attrelid, a.attnum, 'SELECT'))
          from pg_attribute a
         where a.attrelid = format('%I.%I', pt.schemaname, pt.tablename)::regclass
           and a.attnum > 0 and not a.attisdropped), '{}') as columns
     from pg_publication_tables pt where pt.pubname = $1`,
    [publication, role],
  );

  for (const p of params) {
    const id = hashParams(p);
    reply.push({ ...p, id });
    const event = String(p.event ?? "");
    const schema = typeof p.schema === "string" && p.schema !== "" ? p.schema : "public";
    const table = typeof p.table === "string" && p.table !== "" && p.table !== "*" ? p.table : null;
    const filterText = typeof p.filter === "string" && p.filter !== "" ? p.filter : null;
    let filter: TChangeFilter | null = null;
    if (filterText) {
      try {
        filter = parseChangeFilter(filterText);
      } catch (err) {
        error ??= (err as Error).message;
        continue;
      }
    }
    const published = rows.filter((r) => (schema === "*" || r.schema === schema) && (table === null || r.table === table));
    if (!EVENTS.has(event) || published.length === 0) {
      error ??= unableMessage(event, schema, table, filter);
      continue;
    }
    if (filter && !published.every((r) => r.columns[filter.column] === true)) {
      error ??= `Unable to subscribe to changes with given parameters. Exception: ERROR P0001 (raise_exception) invalid column for filter ${filter.column}`;
      continue;
    }
    specs.push({ id, event: event as TBindingSpec["event"], schema, table, filter });
  }
  return { reply, specs, error };
}

function unableMessage(event: string, schema: string, table: string | null, filter: TChangeFilter | null): string {
  const filters = filter ? `[{"${filter.column}", "${filter.op}", "${filter.value}"}]` : "[]";
  return `Unable to subscribe to changes with given parameters. Please check Realtime is enabled for the given connect parameters: [event: ${event}, schema: ${schema}, table: ${table ?? "*"}, filters: ${filters}, select: nil]`;
}

/** A stable 27-bit number for a binding's parameters (hosted uses :erlang.phash2/1 the same way). */
function hashParams(params: Record<string, unknown>): number {
  const text = JSON.stringify(params, Object.keys(params).sort());
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash & 0x7ffffff;
}
