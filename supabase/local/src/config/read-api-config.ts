import { readFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "./env.ts";

/** The `[api]` settings of supabase/config.toml the local REST module honours, as PostgREST's db-schemas etc. */
export interface TApiConfig {
  /** `schemas`: what Accept-Profile / Content-Profile may name; the first is the default. */
  schemas: string[];
  /** `extra_search_path`: appended to the request schema in each request's search_path. */
  extraSearchPath: string[];
  /** `max_rows`: PostgREST's db-max-rows (used by `Prefer: count=estimated`). */
  maxRows: number | null;
}

/** What the Supabase CLI uses when config.toml leaves a key out. */
export const DEFAULT_API_CONFIG: TApiConfig = {
  schemas: ["public", "graphql_public"],
  extraSearchPath: ["public", "extensions"],
  maxRows: 1000,
};

/** Path of the project's config.toml. */
export const CONFIG_TOML_PATH = path.join(repoRoot, "supabase", "config.toml");

/** Reads `[api]` from supabase/config.toml; a missing file means the CLI's defaults. */
export function readApiConfig(file = CONFIG_TOML_PATH): TApiConfig {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    return DEFAULT_API_CONFIG;
  }
  return parseApiConfig(text);
}

/**
 * Reads the `[api]` table of a config.toml. Only what that table uses is understood (strings,
 * integers, arrays of strings, comments); no TOML parser is installed, and the rest of the file
 * is left alone. A value of the wrong shape throws, naming the key and what to write instead.
 */
export function parseApiConfig(text: string): TApiConfig {
  const values = new Map<string, string>();
  let inApi = false;
  let pending: { key: string; value: string } | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = stripComment(rawLine).trim();
    if (pending) {
      pending.value += ` ${line}`;
      if (line.includes("]")) {
        values.set(pending.key, pending.value);
        pending = null;
      }
      continue;
    }
    if (line.startsWith("[")) {
      inApi = line === "[api]";
      continue;
    }
    if (!inApi || line === "") continue;
    const match = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key = "", value = ""] = match;
    if (value.startsWith("[") && !value.includes("]")) pending = { key, value };
    else values.set(key, value);
  }
  const schemas = values.has("schemas") ? stringArray("schemas", values.get("schemas") as string) : DEFAULT_API_CONFIG.schemas;
  const extraSearchPath = values.has("extra_search_path")
    ? stringArray("extra_search_path", values.get("extra_search_path") as string)
    : DEFAULT_API_CONFIG.extraSearchPath;
  const maxRowsText = values.get("max_rows");
  if (maxRowsText !== undefined && !/^\d{1,9}$/.test(maxRowsText)) {
    throw new Error(`supabase/config.toml [api] max_rows must be a whole number (e.g. max_rows = 1000), not ${maxRowsText}`);
  }
  const maxRows = maxRowsText === undefined ? DEFAULT_API_CONFIG.maxRows : Number(maxRowsText);
  if (schemas.length === 0) throw new Error('supabase/config.toml [api] schemas must name at least one schema, e.g. schemas = ["public"]');
  return { schemas, extraSearchPath, maxRows };
}

function stripComment(line: string): string {
  let inString = false;
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (ch === '"' && line[i - 1] !== "\\") inString = !inString;
    if (ch === "#" && !inString) return line.slice(0, i);
  }
  return line;
}

function stringArray(key: string, value: string): string[] {
  const inner = /^\[(.*)\]$/s.exec(value.trim())?.[1];
  if (inner === undefined) throw new Error(`supabase/config.toml [api] ${key} must be an array of strings, e.g. ${key} = ["public"]`);
  const items = inner
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
  return items.map((item) => {
    const match = /^"([^"\\]*)"$/.exec(item) ?? /^'([^']*)'$/.exec(item);
    if (!match) throw new Error(`supabase/config.toml [api] ${key}: ${item} is not a quoted string; write ${key} = ["name", …]`);
    return match[1] as string;
  });
}
