import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The executor's version from executor/package.json ("0.0.0" when unreadable). */
export function readVersion(): string {
  try {
    const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "package.json");
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as { version?: unknown };
    return typeof parsed.version === "string" ? parsed.version : "0.0.0";
  } catch {
    return "0.0.0";
  }
}
