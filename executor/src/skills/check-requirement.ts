import fs from "node:fs/promises";
import path from "node:path";
import type { TProviderConnectionKind, TSkillRequirement, TSkillRequirementResult } from "@mission-control/shared/schemas";
import { parse } from "shell-quote";

/** What a requirement is checked against: the executor's machine and the project's rows, read once per check. */
export type TRequirementContext = {
  /** The environment programs and agents run with (the executor's, without its secrets). */
  env: NodeJS.ProcessEnv;
  workspaceDir: string;
  /** RUN_TEST_ALLOWLIST. */
  testAllowlist: readonly string[];
  /** project_settings of the project: key → value. */
  settings: ReadonlyMap<string, unknown>;
  /** The project's provider connections that can be used: a key is stored or none is needed. */
  usableConnections: ReadonlySet<TProviderConnectionKind>;
  /** The providers the executor's own environment has a key for (OPENAI_API_KEY, ANTHROPIC_API_KEY). */
  globalProviders: ReadonlySet<string>;
};

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const PROGRAM_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
const SETTING_PATH = /^[a-z][a-z0-9_]{0,62}(\.[A-Za-z0-9_]+)*$/;
const SETTING_REFERENCE = "setting:";
const CONNECTION_KINDS = ["openai_compatible", "anthropic"] as const;
/** The executor's own secrets: never handed to programs or agents, so a skill can never rely on them. */
const EXECUTOR_SECRET_VARIABLE = /SERVICE_ROLE|JWT_SECRET|ENCRYPTION_KEY|^DATABASE_URL$/;

/**
 * Checks one requirement deterministically (no network, no model): an env variable is set and not
 * empty; a program is an executable file in a PATH folder (and, with `value: "allowlisted"`, on
 * RUN_TEST_ALLOWLIST); a file or folder inside the workspace exists and is readable; a provider kind
 * has a connection with a key (or the executor's own key); a project setting (`key` or
 * `key.field`) is present and not empty. `blocked` marks what can never be met on this executor:
 * a malformed name, one of the executor's secret variables, a path outside the workspace, an
 * unknown provider kind.
 */
export async function checkRequirement(requirement: TSkillRequirement, context: TRequirementContext): Promise<TSkillRequirementResult> {
  const { kind, name } = requirement;
  const met = (reason: string): TSkillRequirementResult => ({ kind, name, ok: true, reason, blocked: false });
  const missing = (reason: string): TSkillRequirementResult => ({ kind, name, ok: false, reason, blocked: false });
  const blocked = (reason: string): TSkillRequirementResult => ({ kind, name, ok: false, reason, blocked: true });
  switch (kind) {
    case "env": {
      if (!ENV_NAME.test(name)) return blocked(`"${name}" is not an environment variable name (letters, digits and _)`);
      if (EXECUTOR_SECRET_VARIABLE.test(name))
        return blocked(`${name} is one of the executor's own secrets and is never passed to agents or programs`);
      return context.env[name]?.trim()
        ? met(`${name} is set`)
        : missing(`${name} is not set in the executor's environment: export it (or add it to .env.local) and restart the executor`);
    }
    case "program": {
      let program = name;
      if (name.startsWith(SETTING_REFERENCE)) {
        const settingPath = name.slice(SETTING_REFERENCE.length);
        if (!SETTING_PATH.test(settingPath)) return blocked(`"${settingPath}" is not a project setting (key or key.field)`);
        const command = readSetting(context.settings, settingPath);
        if (typeof command !== "string" || !command.trim())
          return missing(`The setting ${settingPath} is empty, so there is no program to look for`);
        const first = firstWord(command);
        if (!first) return missing(`The setting ${settingPath} does not start with a program name`);
        program = first;
      }
      if (!PROGRAM_NAME.test(program)) return blocked(`"${program}" is not a program name: name a program found on PATH, not a path`);
      if (requirement.value === "allowlisted" && !context.testAllowlist.includes(program)) {
        return missing(
          `${program} is not on RUN_TEST_ALLOWLIST (${context.testAllowlist.join(", ") || "empty"}): add it in the executor's environment and restart it`,
        );
      }
      const found = await findOnPath(program, context.env.PATH ?? "");
      return found
        ? met(`${program} found at ${found}`)
        : missing(`${program} was not found on the executor's PATH: install it, then check again`);
    }
    case "file": {
      const root = path.resolve(context.workspaceDir);
      const target = path.resolve(root, name);
      if (path.isAbsolute(name) || (target !== root && !target.startsWith(`${root}${path.sep}`))) {
        return blocked(`${name} is outside the workspace: the executor only reads files inside WORKSPACE_DIR, name a path relative to it`);
      }
      const shown = target === root ? `The workspace (${root})` : name;
      try {
        await fs.access(target, fs.constants.R_OK);
        return met(`${shown} exists and is readable`);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        return code === "ENOENT"
          ? missing(`${shown} does not exist: create it on the executor's machine`)
          : missing(`${shown} cannot be read by the executor (${code ?? "error"}): fix its permissions`);
      }
    }
    case "connection": {
      if (!(CONNECTION_KINDS as readonly string[]).includes(name)) {
        return blocked(`"${name}" is not a provider kind: use ${CONNECTION_KINDS.join(" or ")}`);
      }
      if (context.usableConnections.has(name as TProviderConnectionKind)) return met(`A ${name} connection of the project has a key`);
      if (context.globalProviders.has(name)) return met(`The executor has its own ${name} key`);
      return missing(`No ${name} connection has a key: add one in Settings → Providers and set its key`);
    }
    case "setting": {
      if (!SETTING_PATH.test(name)) return blocked(`"${name}" is not a project setting (key or key.field)`);
      const value = readSetting(context.settings, name);
      return isPresent(value)
        ? met(`${name} is set`)
        : missing(`The project setting ${name} is missing or empty: set it, then check again`);
    }
  }
}

/** The value at `key.field.…` of the project's settings, or undefined. */
function readSetting(settings: ReadonlyMap<string, unknown>, settingPath: string): unknown {
  const [key = "", ...fields] = settingPath.split(".");
  let value: unknown = settings.get(key);
  for (const field of fields) {
    if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[field];
  }
  return value;
}

/** Not null, not an empty (or blank) string, not an empty array or object. */
function isPresent(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === "object") return Object.keys(value).length > 0;
  return true;
}

/** The program of a command line, split the way the test runner splits it (quotes, no shell). */
function firstWord(command: string): string | null {
  const first = parse(command)[0];
  return typeof first === "string" && first ? first : null;
}

/** The first executable `<dir>/<program>` along PATH, or null. */
async function findOnPath(program: string, searchPath: string): Promise<string | null> {
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, program);
    try {
      const stat = await fs.stat(candidate);
      if (!stat.isFile()) continue;
      await fs.access(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  return null;
}
