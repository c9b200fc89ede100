import { httpError } from "../http/http-helpers.ts";
import { qualifiedKey, type TFunction, type TSchemaCache } from "./schema-cache.ts";

/** The overload a call picks; `singleObject` passes the whole body as one json/jsonb argument. */
export interface TResolvedFunction {
  fn: TFunction;
  singleObject: boolean;
}

/** All argument names of all overloads of `schema.name` (they are RPC arguments on GET). */
export function functionArgNames(cache: TSchemaCache, schema: string, name: string): Set<string> {
  const names = new Set<string>();
  for (const fn of cache.functions.get(qualifiedKey(schema, name)) ?? []) for (const arg of fn.args) names.add(arg.name);
  return names;
}

/** Picks the overload whose parameters match the given argument names, as PostgREST does. */
export function resolveFunction(
  cache: TSchemaCache,
  schema: string,
  name: string,
  given: string[],
  singleObject: boolean,
): TResolvedFunction {
  const overloads = cache.functions.get(qualifiedKey(schema, name)) ?? [];
  const isJsonArg = (fn: TFunction) => fn.args.length === 1 && (fn.args[0]?.type === "json" || fn.args[0]?.type === "jsonb");
  const singles = overloads.filter((fn) => isJsonArg(fn) && (singleObject || fn.args[0]?.name === ""));
  if (singleObject || (singles.length === 1 && !overloads.some((fn) => matches(fn, given)))) {
    if (singles.length === 1 && singles[0]) return { fn: singles[0], singleObject: true };
  }
  const found = overloads.filter((fn) => matches(fn, given));
  if (found.length === 1 && found[0]) return { fn: found[0], singleObject: false };
  const signature = `${schema}.${name}(${[...given].sort().join(", ")})`;
  if (found.length === 0) {
    throw httpError(
      404,
      "PGRST202",
      `Could not find the function ${signature} in the schema cache`,
      `Searched for the function ${schema}.${name} with parameters ${given.length === 0 ? "(none)" : [...given].sort().join(", ")} or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.`,
      overloads.length > 0
        ? `The function takes: ${overloads.map((fn) => `(${fn.args.map((a) => a.name).join(", ")})`).join(" or ")}`
        : "Check the function name and its schema; the schema cache reloads after DDL",
    );
  }
  throw httpError(
    300,
    "PGRST203",
    `Could not choose the best candidate function between: ${found.map((fn) => `${schema}.${name}(${fn.args.map((a) => `${a.name} => ${a.type}`).join(", ")})`).join(", ")}`,
    null,
    "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
  );
}

function matches(fn: TFunction, given: string[]): boolean {
  const names = new Set(fn.args.map((a) => a.name));
  if (!given.every((g) => names.has(g))) return false;
  return fn.args.every((a) => a.hasDefault || given.includes(a.name));
}
