/** Said in every file the built-in agent drafts, so nobody mistakes it for a real model's work. */
const DRAFTED = "Drafted by the built-in offline model; a connected model writes the real content.";

/**
 * Adds a CHANGELOG entry at the top: under an `## Unreleased` section that comes first, else in a
 * new `## Unreleased` section before the first release (after the title and its introduction).
 * A missing or empty file becomes a new changelog with that one entry.
 */
export function addChangelogEntry(existing: string | null, entry: string): string {
  const bullet = `- ${entry}`;
  if (existing === null || existing.trim() === "") return `# Changelog\n\n## Unreleased\n\n${bullet}\n`;
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const lines = existing.split(/\r?\n/);
  const firstSection = lines.findIndex((line) => /^##\s/.test(line));
  if (firstSection !== -1 && /^##\s+\[?unreleased\]?/i.test(lines[firstSection] ?? "")) {
    let at = firstSection + 1;
    while (lines[at] === "") at++;
    lines.splice(at, 0, ...(at === firstSection + 1 ? ["", bullet] : [bullet]));
    return lines.join(eol);
  }
  const section = ["## Unreleased", "", bullet, ""];
  if (firstSection !== -1) {
    lines.splice(firstSection, 0, ...section);
    return lines.join(eol);
  }
  if (/^#\s/.test(lines[0] ?? "")) {
    const body = lines.slice(1);
    while (body[0] === "") body.shift();
    return [lines[0], "", ...section, ...body].join(eol);
  }
  return [...section, ...lines].join(eol);
}

/** A new file's content from the goal: the quoted text when the goal gave one, else a short draft shaped by the file's type. */
export function composeNewFile(path: string, goal: { headline: string; topic: string; content: string | null }): string {
  if (goal.content !== null) return goal.content.endsWith("\n") ? goal.content : `${goal.content}\n`;
  const title = titleFromPath(path);
  const about = goal.topic ? `${capitalise(goal.topic)}.` : `${title}.`;
  const origin = `From the goal: "${goal.headline}".`;
  switch (extension(path)) {
    case "md":
    case "mdx":
    case "markdown":
      return `# ${title}\n\n${about}\n\n_${origin} ${DRAFTED}_\n`;
    case "json":
      return `${JSON.stringify({ name: title, description: about }, null, 2)}\n`;
    case "html":
    case "htm":
      return `<!doctype html>\n<html>\n  <head><title>${escapeHtml(title)}</title></head>\n  <body>\n    <h1>${escapeHtml(title)}</h1>\n    <p>${escapeHtml(about)}</p>\n    <!-- ${escapeHtml(DRAFTED)} -->\n  </body>\n</html>\n`;
    case "ts":
    case "tsx":
    case "js":
    case "jsx":
    case "mjs":
    case "cjs":
      return `// ${title}: ${about}\n// ${DRAFTED}\n\nexport {};\n`;
    case "py":
      return `"""${title}: ${about}\n\n${DRAFTED}\n"""\n`;
    case "sh":
      return `#!/bin/sh\n# ${title}: ${about}\n# ${DRAFTED}\n`;
    default: {
      const note = commentLine(path, `${title}: ${about} ${DRAFTED}`);
      return note ? `${note}\n` : `${title}\n\n${about}\n\n${origin} ${DRAFTED}\n`;
    }
  }
}

/**
 * An existing file with a note added at its end in the file's own syntax (a paragraph in Markdown
 * and text, a comment in code). Null for formats that take no note (JSON): the file is left alone.
 */
export function appendNote(path: string, existing: string, note: string): string | null {
  const eol = existing.includes("\r\n") ? "\r\n" : "\n";
  const base = existing.replace(/\s+$/, "");
  const ext = extension(path);
  if (ext === "json") return null;
  const line = ["md", "mdx", "markdown", "txt", "text", "rst", ""].includes(ext) ? note : commentLine(path, note);
  if (line === null) return null;
  return base === "" ? `${line}${eol}` : `${base}${eol}${eol}${line}${eol}`;
}

function commentLine(path: string, text: string): string | null {
  const flat = text.replace(/\s+/g, " ").trim();
  switch (extension(path)) {
    case "ts":
    case "tsx":
    case "js":
    case "jsx":
    case "mjs":
    case "cjs":
    case "go":
    case "rs":
    case "java":
    case "kt":
    case "c":
    case "h":
    case "cpp":
    case "cs":
    case "swift":
      return `// ${flat}`;
    case "py":
    case "sh":
    case "rb":
    case "yml":
    case "yaml":
    case "toml":
    case "ini":
    case "cfg":
    case "conf":
    case "env":
      return `# ${flat}`;
    case "sql":
    case "lua":
      return `-- ${flat}`;
    case "css":
    case "scss":
      return `/* ${flat} */`;
    case "html":
    case "htm":
    case "xml":
    case "svg":
      return `<!-- ${flat.replace(/--/g, "—")} -->`;
    default:
      return null;
  }
}

/** "docs/getting-started.md" → "Getting started"; "README.md" → "README". */
function titleFromPath(path: string): string {
  const base = (path.split("/").at(-1) ?? path).replace(/\.[^.]+$/, "");
  const words = base.replace(/[-_]+/g, " ").trim();
  if (!words) return "Untitled";
  return words === words.toUpperCase() ? words : capitalise(words.toLowerCase());
}

function extension(path: string): string {
  const base = path.split("/").at(-1) ?? path;
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : "";
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
