import fs from "node:fs";
import path from "node:path";

/**
 * Every project page of the dashboard, as paths below /p/<slug>/, read from the app folder at run
 * time, so a page added by anyone is swept without editing a list. Dynamic segments are filled from
 * `params` ({ taskId: "…" }); a segment with no value fails, naming what to add.
 */
export function listProjectPages(webRoot: string, params: Readonly<Record<string, string>>): string[] {
  const base = path.join(webRoot, "src", "app", "p", "[slug]");
  const pages: string[] = [];
  const walk = (dir: string, parts: string[]) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...parts, entry.name]);
      // The project's own address only redirects to a section.
      else if (entry.name === "page.tsx" && parts.length > 0) pages.push(parts.map((part) => fill(part, params)).join("/"));
    }
  };
  walk(base, []);
  return pages.sort();
}

function fill(part: string, params: Readonly<Record<string, string>>): string {
  const dynamic = /^\[(.+)\]$/.exec(part);
  if (!dynamic?.[1]) return part;
  const value = params[dynamic[1]];
  if (value === undefined) throw new Error(`the page sweep has no value for [${dynamic[1]}]: add one to the params of listProjectPages`);
  return value;
}
