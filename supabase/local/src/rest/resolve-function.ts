import { httpError } from "../http/http-helpers.ts";
import { qualifiedKey, type TFunction, type TSchemaCache } from "./schema-cache.ts";

/** What the body of a POST /rpc call is, by its Content-Type (PostgREST's media types). */
export type TRpcBodyKind = "json" | "text" | "xml" | "bytea" | "form";

/**
 * The overload a call picks. `singleObject` passes the whole JSON body to a named json/jsonb
 * argument (`Prefer: params=single-object`); `positional` passes the whole body, as it came, to a
 * function whose one parameter has no name (PostgREST's "single unnamed parameter").
 */
export interface TResolvedFunction {
  fn: TFunction;
  singleObject: boolean;
  positional: boolean;
}

/** All argument names of all overloads of `schema.name` (they are RPC arguments on GET). */
export function functionArgNames(cache: TSchemaCache, schema: string, name: string): Set<string> {
  const names = new Set<string>();
  for (const fn of cache.functions.get(qualifiedKey(schema, name)) ?? []) for (const arg of fn.args) names.add(arg.name);
  return names;
}

/** The parameter type a single unnamed parameter must have to take a body of this kind. */
const UNNAMED_TYPES: Record<TRpcBodyKind, string[]> = { json: ["json", "jsonb"], text: ["text"], xml: ["xml"], bytea: ["bytea"], form: [] };

/**
 * Picks the overload as PostgREST's findProc does: first the overloads whose parameters match the
 * given argument names (every required one given, the rest optional); when none does, a POST
 * falls back to an overload with one unnamed parameter of the body's type (json/jsonb for JSON,
 * text for text/plain, xml for text/xml, bytea for application/octet-stream). More than one
 * candidate at either step is PGRST203 (300).
 */
export function resolveFunction(
  cache: TSchemaCache,
  schema: string,
  name: string,
  given: string[],
  options: { singleObject: boolean; isPost: boolean; bodyKind: TRpcBodyKind },
): TResolvedFunction {
  const overloads = cache.functions.get(qualifiedKey(schema, name)) ?? [];
  if (options.singleObject) {
    const jsonArg = overloads.filter((fn) => fn.args.length === 1 && (fn.args[0]?.type === "json" || fn.args[0]?.type === "jsonb"));
    if (jsonArg.length === 1 && jsonArg[0]) return { fn: jsonArg[0], singleObject: true, positional: jsonArg[0].args[0]?.name === "" };
  }
  const rawBody = options.isPost && options.bodyKind !== "json" && options.bodyKind !== "form";
  const named = overloads.filter((fn) => matches(fn, given, rawBody));
  const unnamed = overloads.filter(
    (fn) => options.isPost && fn.args.length === 1 && fn.args[0]?.name === "" && UNNAMED_TYPES[options.bodyKind].includes(fn.args[0].type),
  );
  const found = named.length > 0 ? named : unnamed;
  const only = found.length === 1 ? found[0] : undefined;
  if (only) return { fn: only, singleObject: false, positional: only.args.length === 1 && only.args[0]?.name === "" };
  if (found.length === 0) throw noFunction(schema, name, given, overloads, options);
  throw httpError(
    300,
    "PGRST203",
    `Could not choose the best candidate function between: ${found.map((fn) => `${schema}.${name}(${fn.args.map((a) => `${a.name} => ${a.type}`).join(", ")})`).join(", ")}`,
    null,
    "Try renaming the parameters or the function itself in the database so function overloading can be resolved",
  );
}

function noFunction(
  schema: string,
  name: string,
  given: string[],
  overloads: TFunction[],
  options: { isPost: boolean; bodyKind: TRpcBodyKind },
): Error {
  const func = `${schema}.${name}`;
  const sorted = [...given].sort();
  const rawBody = options.isPost && options.bodyKind !== "json" && options.bodyKind !== "form";
  const withParams = sorted.length === 0 ? " without parameters" : ` with parameter${sorted.length > 1 ? "s" : ""} ${sorted.join(", ")}`;
  const searched = rawBody
    ? ` with a single unnamed ${options.bodyKind} parameter`
    : `${withParams}${options.isPost && options.bodyKind === "json" ? " or with a single unnamed json/jsonb parameter" : ""}`;
  return httpError(
    404,
    "PGRST202",
    `Could not find the function ${func}${rawBody ? "" : sorted.length === 0 ? " without parameters" : `(${sorted.join(", ")})`} in the schema cache`,
    `Searched for the function ${func}${searched}, but no matches were found in the schema cache.`,
    rawBody
      ? null
      : overloads.length > 0
        ? `The function takes: ${overloads.map((fn) => `(${fn.args.map((a) => a.name || `<unnamed ${a.type}>`).join(", ")})`).join(" or ")}`
        : "Check the function name and its schema; the schema cache reloads after DDL",
  );
}

/** PostgREST's matchesParams: required parameters all given, nothing given that is not a parameter. */
function matches(fn: TFunction, given: string[], rawBody: boolean): boolean {
  if (fn.args.length === 0) return given.length === 0 && !rawBody;
  // Unnamed parameters next to others cannot be passed by name (PostgREST would build invalid SQL).
  if (fn.args.length > 1 && fn.args.some((a) => a.name === "")) return false;
  const names = new Set(fn.args.map((a) => a.name));
  if (!given.every((g) => names.has(g))) return false;
  return fn.args.every((a) => a.hasDefault || given.includes(a.name));
}
