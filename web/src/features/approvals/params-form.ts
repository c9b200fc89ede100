import { ACTION_PARAMS_SCHEMAS } from "@mission-control/shared/schemas";
import type { z } from "zod";
import { parseEditedParams, type TEditedParams } from "./parse-edited-params.ts";

/** How one param is edited: a line, a multi-line text, a choice, a switch, a number, a list (one per line) or JSON. */
export type TFieldKind = "text" | "multiline" | "enum" | "boolean" | "number" | "lines" | "json";

/** One field of an action type's params, read from its zod schema. */
export interface TParamField {
  key: string;
  kind: TFieldKind;
  /** Can be left empty (then the param is left out, or null when the schema allows null). */
  optional: boolean;
  nullable: boolean;
  options: readonly string[];
}

/** A form's values: text for every kind except boolean. */
export type TFormValues = Record<string, string | boolean>;

// Texts this long (or these names) are prose or files: a textarea, never a one-line input.
const MULTILINE_FROM = 1000;
const MULTILINE_KEYS = new Set(["content", "description", "instructions", "rollback_plan"]);

type TDef = { type: string; innerType?: z.ZodType; element?: z.ZodType };
const defOf = (schema: z.ZodType) => (schema as unknown as { def: TDef }).def;

/**
 * The fields of an action type's params, in the schema's order, read from the same zod schema the
 * executor validates with; an unknown type has none (the JSON editor is the way then).
 */
export function describeParamFields(actionType: string): TParamField[] {
  if (!(actionType in ACTION_PARAMS_SCHEMAS)) return [];
  const schema = ACTION_PARAMS_SCHEMAS[actionType as keyof typeof ACTION_PARAMS_SCHEMAS];
  return Object.entries(schema.shape as Record<string, z.ZodType>).map(([key, field]) => {
    let inner = field;
    let optional = false;
    let nullable = false;
    for (
      let def = defOf(inner);
      (def.type === "optional" || def.type === "nullable" || def.type === "default") && def.innerType;
      def = defOf(inner)
    ) {
      if (def.type === "nullable") nullable = true;
      else optional = true;
      inner = def.innerType;
    }
    const def = defOf(inner);
    let kind: TFieldKind = "json";
    let options: readonly string[] = [];
    if (def.type === "string") {
      const max = (inner as unknown as { maxLength: number | null }).maxLength;
      kind = MULTILINE_KEYS.has(key) || (max !== null && max >= MULTILINE_FROM) ? "multiline" : "text";
    } else if (def.type === "enum") {
      kind = "enum";
      options = (inner as unknown as { options: string[] }).options;
    } else if (def.type === "boolean") kind = "boolean";
    else if (def.type === "number") kind = "number";
    else if (def.type === "array" && def.element && defOf(def.element).type === "string") kind = "lines";
    return { key, kind, optional, nullable, options };
  });
}

/** The form's starting values from a proposal's params (absent params are empty). */
export function paramsToFormValues(fields: readonly TParamField[], params: unknown): TFormValues {
  const p = params && typeof params === "object" && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
  const values: TFormValues = {};
  for (const f of fields) {
    const v = p[f.key];
    if (f.kind === "boolean") values[f.key] = v === true;
    else if (v === undefined || v === null) values[f.key] = "";
    else if (f.kind === "lines") values[f.key] = Array.isArray(v) ? v.map(String).join("\n") : "";
    else if (f.kind === "json") values[f.key] = JSON.stringify(v, null, 2);
    else values[f.key] = String(v);
  }
  return values;
}

/**
 * Turns the form back into params and validates them with the shared schema (parseEditedParams).
 * An empty optional field is left out; an empty nullable one is null; a boolean the proposal did
 * not set and the operator left off stays out. Errors name the field.
 */
export function formValuesToParams(
  actionType: string,
  fields: readonly TParamField[],
  values: TFormValues,
  original: unknown,
): TEditedParams {
  const built = buildParams(fields, values, original);
  return built.ok ? parseEditedParams(actionType, JSON.stringify(built.params)) : built;
}

/** The form's values as params, not yet checked against the schema ("Edit as JSON" shows them as typed). */
export function buildParams(fields: readonly TParamField[], values: TFormValues, original: unknown): TEditedParams {
  const before = original && typeof original === "object" && !Array.isArray(original) ? (original as Record<string, unknown>) : {};
  const params: Record<string, unknown> = {};
  for (const f of fields) {
    const v = values[f.key];
    if (f.kind === "boolean") {
      if (v === true || f.key in before) params[f.key] = v === true;
      continue;
    }
    const text = typeof v === "string" ? v : "";
    if (text.trim() === "" && f.kind !== "multiline") {
      if (f.nullable && f.key in before) params[f.key] = null;
      else if (!f.optional) params[f.key] = text;
      continue;
    }
    if (f.kind === "multiline" && text === "" && f.optional && !(f.key in before)) continue;
    if (f.kind === "number") {
      const n = Number(text);
      if (!Number.isFinite(n)) return { ok: false, error: `${f.key}: a number, e.g. 5000` };
      params[f.key] = n;
    } else if (f.kind === "lines") {
      params[f.key] = text
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean);
    } else if (f.kind === "json") {
      try {
        params[f.key] = JSON.parse(text);
      } catch (err) {
        return { ok: false, error: `${f.key}: not valid JSON (${err instanceof Error ? err.message : String(err)})` };
      }
    } else params[f.key] = text;
  }
  return { ok: true, params };
}
