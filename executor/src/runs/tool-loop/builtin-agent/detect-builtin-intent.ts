/** What the built-in scripted agent understood a run's goal to ask for. */
export type TBuiltinIntent =
  | { kind: "create_task"; title: string; description: string }
  | { kind: "changelog"; entry: string }
  /** Write or create these files; `content` is the text the goal quoted for them, if it quoted one. */
  | { kind: "files"; paths: string[]; content: string | null; topic: string }
  | { kind: "other" };

const TASK =
  /\b(?:create|add|open|file|make|raise|log)\s+(?:(?:a|an|one|new|another|follow-up|follow up|separate)\s+)*(?:task|ticket|card|to-?do)\b(.*)$/im;
const CHANGELOG = /\bchange ?log\b/i;
const CHANGELOG_VERB = /\b(?:add|write|update|append|record|note|entry)\b/i;
const FILE_VERB = /\b(?:write|create|add|make|draft|generate|update|edit|put|save)\b/i;
const QUOTED_CONTENT =
  /\b(?:with|containing|saying|that says|reading)\s+(?:the\s+)?(?:content|contents|text|line|words)?\s*:?\s*(?:"([^"]+)"|“([^”]+)”|`([^`]+)`|'([^']+)')/i;
const QUOTED = /[`"'“‘]([^`"'”’\n]{1,200})[`"'”’]/g;
const BARE = /(?:^|[\s([,])((?:\.\/)?(?:[\w@.-]+\/)*[\w@-][\w@.-]*\.[A-Za-z][A-Za-z0-9]{0,7})(?=$|[\s)\],;:!?]|\.(?:\s|$))/g;
/** Bare words that look like file names but are not (domains, abbreviations). */
const NOT_A_FILE = /^(?:e\.g|i\.e|a\.m|p\.m|etc)$|\.(?:com|org|net|io|dev|ai|co)$/i;
const MAX_FILES = 10;

/**
 * Reads a run's goal the way the built-in offline agent understands it, first match wins: a
 * request to create a task ("create a task to …", "add a follow-up ticket: …"), a CHANGELOG entry
 * ("add a CHANGELOG entry for …"), writing or creating files named in the goal (quoted or plain
 * paths such as docs/intro.md; "with the text "…"" gives their content), or anything else.
 */
export function detectBuiltinIntent(goal: string): TBuiltinIntent {
  const text = goal.replace(/\r\n/g, "\n").trim();
  const lead = text.split(/\n{2,}/)[0] ?? "";
  const rest = text.slice(lead.length).trim();

  const task = TASK.exec(lead);
  if (task) {
    const title =
      cleanPhrase(task[1] ?? "", /^(?:to|for|about|called|named|titled|that says|saying)\s+/i) || firstSentence(rest) || "Follow-up task";
    return { kind: "create_task", title: capitalise(title).slice(0, 300), description: text.slice(0, 5000) };
  }

  const changelog = CHANGELOG.exec(lead);
  if (changelog && CHANGELOG_VERB.test(lead)) {
    const after = lead.slice(changelog.index + changelog[0].length).replace(/^(?:\.md)?\s*(?:entry|note|line)?/i, "");
    const entry =
      cleanPhrase(after, /^(?:for|about|on|saying|that says|describing|to say|with)\s+/i) ||
      firstSentence(rest) ||
      "Describe the latest changes";
    return { kind: "changelog", entry: sentence(entry) };
  }

  if (FILE_VERB.test(lead)) {
    const quoted = QUOTED_CONTENT.exec(lead);
    const content = quoted ? (quoted[1] ?? quoted[2] ?? quoted[3] ?? quoted[4] ?? null) : null;
    const searched = quoted ? lead.replace(quoted[0], " ") : lead;
    const paths = findPaths(searched);
    if (paths.length > 0) return { kind: "files", paths, content, topic: findTopic(searched, paths) };
  }
  return { kind: "other" };
}

/** The file paths a sentence names, in order, each once: quoted ones and plain ones with an extension. */
export function findPaths(text: string): string[] {
  const found: { index: number; path: string }[] = [];
  for (const match of text.matchAll(QUOTED)) {
    const candidate = match[1] ?? "";
    // Quoted, a path may hold spaces; it still needs an extension or a folder to be a path rather than a phrase.
    const pathLike = /\.[A-Za-z][A-Za-z0-9]{0,7}$/.test(candidate) || (candidate.includes("/") && !/\s/.test(candidate));
    if (pathLike && candidate.trim() === candidate) found.push({ index: match.index ?? 0, path: candidate });
  }
  for (const match of text.matchAll(BARE)) {
    const candidate = match[1] ?? "";
    // "Node.js", "Next.js": a capitalised bare name is a product, not a file (quote it or give its folder to mean a file).
    if (!candidate.includes("/") && /^[A-Z][a-z]+\.js$/.test(candidate)) continue;
    found.push({ index: match.index ?? 0, path: candidate });
  }
  const paths: string[] = [];
  for (const { path } of found.sort((a, b) => a.index - b.index)) {
    const clean = path.replace(/^\.\//, "");
    if (!isWorkspacePath(clean) || NOT_A_FILE.test(clean) || paths.includes(clean)) continue;
    paths.push(clean);
    if (paths.length >= MAX_FILES) break;
  }
  return paths;
}

/** What the files are about: the goal's words after its verb and paths ("… describing the run flow" → "the run flow"). */
function findTopic(lead: string, paths: readonly string[]): string {
  let topic = lead;
  for (const path of paths) topic = topic.split(path).join(" ");
  topic = topic
    .replace(/[`"'“”‘’]/g, " ")
    .replace(/^\s*(?:please\s+)?(?:can you\s+|could you\s+)?/i, "")
    .replace(FILE_VERB, " ")
    .replace(/^(?:[\s,]|\b(?:and|a|an|the|new|files?|named|called)\b)+/gi, "")
    .replace(/^(?:describing|about|for|that|which|with|explaining|to document|documenting|covering|on)\s+/i, "");
  return cleanPhrase(topic, /^$/);
}

function isWorkspacePath(candidate: string): boolean {
  if (candidate.includes("://") || candidate.startsWith("/") || candidate.includes("\\")) return false;
  return candidate.length <= 500 && !candidate.split("/").includes("..") && !candidate.startsWith(".mission-control");
}

function cleanPhrase(text: string, lead: RegExp): string {
  let phrase = text.replace(/\s+/g, " ").trim();
  phrase = phrase
    .replace(/^[\s:,;–—-]+/, "")
    .replace(lead, "")
    .trim();
  const quoted = /^["“'`](.+?)["”'`]/.exec(phrase);
  if (quoted?.[1]) phrase = quoted[1];
  return phrase.replace(/[\s.:;,]+$/, "").trim();
}

function firstSentence(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const end = flat.search(/[.!?](\s|$)/);
  return (end > 0 ? flat.slice(0, end) : flat).slice(0, 200).trim();
}

function sentence(text: string): string {
  const cap = capitalise(text.trim());
  return /[.!?]$/.test(cap) ? cap : `${cap}.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
