import { httpError } from "../http/http-helpers.ts";
import type { TSchemaCache, TTable } from "./schema-cache.ts";
import { qualifiedKey } from "./schema-cache.ts";

/** How an embedded resource joins its parent: column pairs `[parentColumn, childColumn]`. */
export interface TRelationship {
  target: TTable;
  /** true: the child is one row (object or null); false: an array. */
  toOne: boolean;
  pairs: Array<[string, string]>;
  constraint: string;
  /** Many-to-many: rows of `table` link parent and child; pairs are `[parentOrChildColumn, junctionColumn]`. */
  junction?: { table: TTable; parentPairs: Array<[string, string]>; childPairs: Array<[string, string]> };
}

/**
 * Finds the foreign key that links `parent` to the embedded `relation` (a table name, or an FK
 * column of the parent), narrowed by `hint` (constraint name or column), as PostgREST does.
 */
export function resolveRelationship(cache: TSchemaCache, parent: TTable, relation: string, hint: string | null): TRelationship {
  const candidates: TRelationship[] = [];
  const target = cache.tables.get(qualifiedKey(parent.schema, relation));
  for (const fk of cache.foreignKeys) {
    const fromParent = fk.schema === parent.schema && fk.table === parent.name;
    const toParent = fk.foreignSchema === parent.schema && fk.foreignTable === parent.name;
    if (target && fromParent && fk.foreignSchema === target.schema && fk.foreignTable === target.name) {
      candidates.push({ target, toOne: true, pairs: zip(fk.columns, fk.foreignColumns), constraint: fk.name });
    }
    if (target && toParent && fk.schema === target.schema && fk.table === target.name) {
      candidates.push({ target, toOne: fk.unique, pairs: zip(fk.foreignColumns, fk.columns), constraint: fk.name });
    }
    if (!target && fromParent && fk.columns.length === 1 && fk.columns[0] === relation) {
      const referenced = cache.tables.get(qualifiedKey(fk.foreignSchema, fk.foreignTable));
      if (referenced) candidates.push({ target: referenced, toOne: true, pairs: zip(fk.columns, fk.foreignColumns), constraint: fk.name });
    }
  }
  if (target) candidates.push(...junctionCandidates(cache, parent, target));
  const matching =
    hint === null
      ? candidates
      : candidates.filter(
          (c) => c.constraint === hint || c.pairs.some(([p, ch]) => p === hint || ch === hint) || c.junction?.table.name === hint,
        );
  if (matching.length === 1 && matching[0]) return matching[0];
  if (matching.length === 0) {
    throw httpError(
      400,
      "PGRST200",
      `Could not find a relationship between '${parent.name}' and '${relation}' in the schema cache`,
      `Searched for a foreign key relationship between '${parent.name}' and '${relation}'${hint ? ` using the hint '${hint}'` : ""} in the schema '${parent.schema}', but no matches were found.`,
      "Check the table name and the foreign key; views are not followed to their tables' foreign keys by the local gateway",
    );
  }
  throw httpError(
    300,
    "PGRST201",
    `Could not embed because more than one relationship was found for '${parent.name}' and '${relation}'`,
    matching.map((c) => `${c.constraint} (${c.junction ? "many-to-many" : c.toOne ? "many-to-one" : "one-to-many"})`).join(", "),
    `Try changing '${relation}' to one of: ${matching.map((c) => `'${relation}!${c.constraint}'`).join(", ")}`,
  );
}

function zip(a: string[], b: string[]): Array<[string, string]> {
  return a.map((x, i) => [x, b[i] ?? ""]);
}

/** Tables with one foreign key to `parent` and another to `target`: many-to-many through them. */
function junctionCandidates(cache: TSchemaCache, parent: TTable, target: TTable): TRelationship[] {
  const found: TRelationship[] = [];
  const references = (fk: TSchemaCache["foreignKeys"][number], table: TTable) =>
    fk.foreignSchema === table.schema && fk.foreignTable === table.name;
  for (const toParent of cache.foreignKeys) {
    if (!references(toParent, parent)) continue;
    const junction = cache.tables.get(qualifiedKey(toParent.schema, toParent.table));
    if (!junction || junction === parent || junction === target) continue;
    for (const toTarget of cache.foreignKeys) {
      if (toTarget === toParent || toTarget.schema !== junction.schema || toTarget.table !== junction.name || !references(toTarget, target))
        continue;
      found.push({
        target,
        toOne: false,
        pairs: [],
        constraint: `${toParent.name},${toTarget.name}`,
        junction: {
          table: junction,
          parentPairs: zip(toParent.foreignColumns, toParent.columns),
          childPairs: zip(toTarget.foreignColumns, toTarget.columns),
        },
      });
    }
  }
  return found;
}
