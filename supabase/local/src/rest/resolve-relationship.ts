import { httpError } from "../http/http-helpers.ts";
import type { TForeignKey, TSchemaCache, TTable } from "./schema-cache.ts";
import { qualifiedKey } from "./schema-cache.ts";

/** How an embedded resource joins its parent: column pairs `[parentColumn, childColumn]`. */
export interface TRelationship {
  target: TTable;
  /** true: the child is one row (object or null); false: an array. */
  toOne: boolean;
  /** PostgREST's cardinality names, used in PGRST201 details. */
  cardinality: "many-to-one" | "one-to-many" | "one-to-one" | "many-to-many" | "computed";
  pairs: Array<[string, string]>;
  constraint: string;
  /** Both ends are the same table (a self-referencing foreign key). */
  isSelf: boolean;
  /** The parent holds the key's columns (many-to-one or its one-to-one side). */
  fromParentKey: boolean;
  viaView: boolean;
  /** Many-to-many: rows of `table` link parent and child; pairs are `[parentOrChildColumn, junctionColumn]`. */
  junction?: { table: TTable; parentPairs: Array<[string, string]>; childPairs: Array<[string, string]> };
  /** Computed relationship: the child rows are `schema.name(parent_row)`. */
  fn?: { schema: string; name: string };
}

/**
 * Finds the relationship an embed `relation!hint(…)` names from `parent`, with PostgREST's rules
 * (findRel): `relation` is a table or view, or (without a hint) a foreign key's constraint name
 * or single column; the hint is a constraint, a column on either end, or a junction table; on a
 * self-referencing key `relation` alone is the one-to-many side and the key's column is the
 * many-to-one side; a computed relationship is named by its function.
 */
export function resolveRelationship(cache: TSchemaCache, parent: TTable, relation: string, hint: string | null): TRelationship {
  const all = relationshipsOf(cache, parent);
  const computed = all.filter((rel) => rel.fn && rel.fn.name === relation);
  const matching = computed.length > 0 ? computed : all.filter((rel) => !rel.fn && matches(rel, relation, hint));
  if (matching.length === 1 && matching[0]) return matching[0];
  if (matching.length === 0) {
    throw httpError(
      400,
      "PGRST200",
      `Could not find a relationship between '${parent.name}' and '${relation}' in the schema cache`,
      `Searched for a foreign key relationship between '${parent.name}' and '${relation}'${hint ? ` using the hint '${hint}'` : ""} in the schema '${parent.schema}', but no matches were found.`,
      "Check the table name and the foreign key (or name the foreign key's column to embed the referenced row); the schema cache reloads after DDL",
    );
  }
  throw httpError(
    300,
    "PGRST201",
    `Could not embed because more than one relationship was found for '${parent.name}' and '${relation}'`,
    matching.map((c) => `${c.target.name} using ${c.junction ? c.junction.table.name : c.constraint} (${c.cardinality})`).join(", "),
    `Try changing '${relation}' to one of the following: ${matching.map((c) => `'${c.target.name}!${c.junction ? c.junction.table.name : c.constraint}'`).join(", ")}. Find the desired relationship in the 'details' key.`,
  );
}

function matches(rel: TRelationship, relation: string, hint: string | null): boolean {
  const single = rel.pairs.length === 1 ? rel.pairs[0] : undefined;
  const originColumn = single?.[0];
  const targetColumn = single?.[1];
  if (rel.isSelf && !rel.junction) {
    const oneToManySide = !rel.fromParentKey;
    if (hint === null) {
      // /nodes?select=children:nodes(*) is the one-to-many side; /nodes?select=parent_id(*) the many-to-one side.
      return (relation === rel.target.name && oneToManySide) || (relation === originColumn && !oneToManySide);
    }
    // /nodes?select=children:nodes!parent_id(*): the hint names the children's column.
    return relation === rel.target.name && oneToManySide && hint === targetColumn;
  }
  if (hint === null) {
    return (
      relation === rel.target.name ||
      (!rel.viaView && !rel.junction && relation === rel.constraint) ||
      (!rel.viaView && relation === originColumn)
    );
  }
  return (
    relation === rel.target.name &&
    ((!rel.junction && hint === rel.constraint) || hint === originColumn || hint === targetColumn || rel.junction?.table.name === hint)
  );
}

/** Every relationship from `parent`: both directions of each foreign key, many-to-many, computed. */
function relationshipsOf(cache: TSchemaCache, parent: TTable): TRelationship[] {
  const found: TRelationship[] = [];
  const isParent = (schema: string, name: string) => schema === parent.schema && name === parent.name;
  for (const fk of cache.foreignKeys) {
    const isSelf = fk.schema === fk.foreignSchema && fk.table === fk.foreignTable;
    if (isParent(fk.schema, fk.table)) {
      const target = cache.tables.get(qualifiedKey(fk.foreignSchema, fk.foreignTable));
      if (target) {
        found.push({
          target,
          toOne: true,
          cardinality: fk.unique ? "one-to-one" : "many-to-one",
          pairs: zip(fk.columns, fk.foreignColumns),
          constraint: fk.name,
          isSelf,
          viaView: fk.viaView,
          fromParentKey: true,
        });
      }
    }
    if (isParent(fk.foreignSchema, fk.foreignTable)) {
      const target = cache.tables.get(qualifiedKey(fk.schema, fk.table));
      if (target) {
        found.push({
          target,
          toOne: fk.unique,
          cardinality: fk.unique ? "one-to-one" : "one-to-many",
          pairs: zip(fk.foreignColumns, fk.columns),
          constraint: fk.name,
          isSelf,
          viaView: fk.viaView,
          fromParentKey: false,
        });
      }
    }
  }
  found.push(...junctionRelationships(cache, parent));
  for (const rel of cache.computedRelationships) {
    if (!isParent(rel.schema, rel.table)) continue;
    const target = cache.tables.get(qualifiedKey(rel.targetSchema, rel.targetTable));
    if (!target) continue;
    found.push({
      target,
      toOne: rel.toOne,
      cardinality: "computed",
      pairs: [],
      constraint: rel.functionName,
      isSelf: false,
      fromParentKey: false,
      viaView: false,
      fn: { schema: rel.functionSchema, name: rel.functionName },
    });
  }
  return found;
}

function zip(a: string[], b: string[]): Array<[string, string]> {
  return a.map((x, i) => [x, b[i] ?? ""]);
}

/** Tables whose primary key holds a foreign key to `parent` and another to a second table: many-to-many through them. */
function junctionRelationships(cache: TSchemaCache, parent: TTable): TRelationship[] {
  const found: TRelationship[] = [];
  const references = (fk: TForeignKey, table: TTable) => fk.foreignSchema === table.schema && fk.foreignTable === table.name;
  for (const toParent of cache.foreignKeys) {
    if (toParent.viaView || !references(toParent, parent)) continue;
    const junction = cache.tables.get(qualifiedKey(toParent.schema, toParent.table));
    if (!junction || junction === parent || junction.kind !== "table") continue;
    for (const toTarget of cache.foreignKeys) {
      if (toTarget === toParent || toTarget.viaView || toTarget.schema !== junction.schema || toTarget.table !== junction.name) continue;
      const target = cache.tables.get(qualifiedKey(toTarget.foreignSchema, toTarget.foreignTable));
      if (!target || target === junction) continue;
      // As PostgREST: both keys' columns must be part of the junction's primary key.
      if (![...toParent.columns, ...toTarget.columns].every((c) => junction.primaryKey.includes(c))) continue;
      found.push({
        target,
        toOne: false,
        cardinality: "many-to-many",
        pairs: [],
        constraint: `${toParent.name},${toTarget.name}`,
        isSelf: false,
        fromParentKey: false,
        viaView: false,
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
