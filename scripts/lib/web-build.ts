import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/**
 * The dashboard's production build for `scripts/up.sh`: `next build` once, reused until something
 * that goes into it changes. It lives in its own folder (`web/.next-serve`), apart from the one
 * `pnpm test:e2e` builds into (`web/.next`), so running the tests never pulls a build out from
 * under a dashboard that is being served.
 */
export const SERVE_DIST_DIR = ".next-serve";

/** Written next to the build: what it was built from, and which build that was. */
const STAMP_FILE = "mission-control-build.json";

/** What goes into the build, relative to the repository root: sources, config and the lockfile. */
const HASHED_TREES = ["web/src", "web/public", "shared/src"];
const HASHED_FILES = [
  "web/package.json",
  "web/next.config.ts",
  "web/tsconfig.json",
  "web/tsconfig.serve.json",
  "shared/package.json",
  "tsconfig.base.json",
  "pnpm-lock.yaml",
  "pnpm-workspace.yaml",
  // Next inlines NEXT_PUBLIC_* values from these files into the bundles.
  "web/.env",
  "web/.env.local",
  "web/.env.production",
  "web/.env.production.local",
];
/** Test files never reach the bundles; changing one should not cost a rebuild. */
const NOT_BUILT = /\.test\.tsx?$/;

/** Every file under `dir` (relative to `root`), sorted; a missing folder gives nothing. */
function listFiles(root: string, dir: string): string[] {
  const full = path.join(root, dir);
  if (!fs.existsSync(full)) return [];
  return fs
    .readdirSync(full, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join("/"))
    .filter((file) => !NOT_BUILT.test(file));
}

/**
 * A content hash of everything the production build depends on: the dashboard's and the shared
 * package's sources, the lockfile, the Next and TypeScript config, and the NEXT_PUBLIC_* values
 * that `next build` bakes into the bundles. Paths are hashed too, so a rename counts.
 */
export function hashWebSources(root: string, env: Record<string, string | undefined>): string {
  const hash = crypto.createHash("sha256");
  const files = [...HASHED_TREES.flatMap((dir) => listFiles(root, dir)), ...HASHED_FILES.filter((f) => fs.existsSync(path.join(root, f)))];
  for (const file of [...new Set(files)].sort()) {
    hash.update(`file ${file}\0`);
    hash.update(fs.readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  for (const name of Object.keys(env)
    .filter((n) => n.startsWith("NEXT_PUBLIC_"))
    .sort()) {
    hash.update(`env ${name}=${env[name] ?? ""}\0`);
  }
  return hash.digest("hex");
}

/** The build in `distDir` (absolute) is usable when it finished and was made from sources with `hash`. */
export function isBuildCurrent(distDir: string, hash: string): boolean {
  try {
    const stamp = JSON.parse(fs.readFileSync(path.join(distDir, STAMP_FILE), "utf8")) as { hash?: unknown; buildId?: unknown };
    const buildId = fs.readFileSync(path.join(distDir, "BUILD_ID"), "utf8").trim();
    // The BUILD_ID ties the stamp to this very build: a build made by hand in the same folder
    // (from other sources) has another id, so it is never taken for the stamped one.
    return stamp.hash === hash && stamp.buildId === buildId;
  } catch {
    return false;
  }
}

/** Records that the finished build in `distDir` was made from sources with `hash`. */
export function writeBuildStamp(distDir: string, hash: string): void {
  const buildId = fs.readFileSync(path.join(distDir, "BUILD_ID"), "utf8").trim();
  fs.writeFileSync(path.join(distDir, STAMP_FILE), `${JSON.stringify({ hash, buildId, builtAt: new Date().toISOString() }, null, 2)}\n`);
}

/** Options of `ensureWebBuild`. */
export interface TEnsureWebBuildOptions {
  root: string;
  /** The environment `next build` runs with (its NEXT_PUBLIC_* values are hashed). */
  env: NodeJS.ProcessEnv;
  say: (line: string) => void;
  /** Lets Ctrl-C during the build stop it. */
  onChild?: (child: ReturnType<typeof spawn>) => void;
}

/**
 * Builds the dashboard into `web/.next-serve` unless the build there is current. Says which it
 * does. Rejects when `next build` fails (its output, printed above, says why).
 */
export async function ensureWebBuild(options: TEnsureWebBuildOptions): Promise<"cached" | "built"> {
  const webDir = path.join(options.root, "web");
  const distDir = path.join(webDir, SERVE_DIST_DIR);
  const hash = hashWebSources(options.root, options.env);
  if (isBuildCurrent(distDir, hash)) {
    options.say(`Using the cached build of the dashboard (web/${SERVE_DIST_DIR}; sources unchanged).`);
    return "cached";
  }
  const reason = fs.existsSync(path.join(distDir, "BUILD_ID")) ? "sources changed" : "no build yet";
  options.say(`Building the dashboard (${reason})… this takes a minute or two, once.`);
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(webDir, "node_modules/next/dist/bin/next"), "build"], {
      cwd: webDir,
      stdio: "inherit",
      env: { ...options.env, NODE_ENV: "production", MC_WEB_DIST_DIR: SERVE_DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" },
    });
    options.onChild?.(child);
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`next build failed (${signal ?? `exit code ${code}`}); its output above says why. Fix it and run this again.`));
    });
  });
  // Hash again: a file saved during the build must not be taken as built.
  writeBuildStamp(distDir, hash === hashWebSources(options.root, options.env) ? hash : "changed-during-build");
  options.say(`Built the dashboard in ${Math.round((Date.now() - started) / 1000)} s.`);
  return "built";
}
