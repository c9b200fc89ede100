import { z } from "zod";
import { countTokens, truncateToTokens } from "./count-tokens.ts";

/**
 * One doc a message referenced ("#runbook", "#scout/memory"), as load_referenced_docs() returns it
 * for the agent answering: `included` with its current text (a project doc, or the agent's own),
 * `withheld` (another agent's doc: no text) or `missing` (deleted since the message was sent).
 */
export const ZReferencedDoc = z.object({
  id: z.string(),
  ref: z.string(),
  title: z.string().catch(""),
  agent_key: z.string().nullish(),
  status: z.enum(["included", "withheld", "missing"]),
  version: z.number().nullish(),
  content: z.string().nullish(),
});
export type TReferencedDoc = z.infer<typeof ZReferencedDoc>;

/** What became of one referenced doc in the prompt. `truncated` and `left_out` are cuts made to fit the budget. */
export type TReferencedDocUse = {
  id: string;
  ref: string;
  title: string;
  status: "included" | "truncated" | "left_out" | "withheld" | "missing";
  /** Tokens its section takes in the prompt (0 when left out). */
  tokens: number;
};

/** The section's first line. The built-in offline model reads it to say which docs it read. */
export const REFERENCED_DOCS_HEADER =
  "\n\n# Docs referenced in this message\nThe operator pointed you to these docs; their current text follows.";

/** Smallest part of a doc worth keeping when it has to be cut (below this it is left out). */
const MIN_DOC_TOKENS = 24;

/** Appended to a referenced doc that had to be cut. */
export function truncatedMarker(ref: string, keptTokens: number, fullTokens: number): string {
  return `\n[… #${ref} truncated to fit the context window: about ${keptTokens} of ${fullTokens} tokens kept]`;
}

/** A doc's heading line: `## #runbook: Deploy runbook` (the title only when it differs from the ref). */
function heading(doc: TReferencedDoc): string {
  const title = doc.title.trim();
  return `\n\n## #${doc.ref}${title && title.toLowerCase() !== doc.ref ? `: ${title}` : ""}\n`;
}

function body(doc: TReferencedDoc): string {
  if (doc.status === "withheld") {
    return `(withheld: this is @${doc.agent_key ?? "another agent"}'s own doc, and an agent's docs are shared only with that agent; ask the operator to make it a project doc)`;
  }
  if (doc.status === "missing") return "(missing: the doc was deleted after the message was sent)";
  return (doc.content ?? "").trim() || "(empty doc)";
}

/** The fitted section: its text, its cost and what became of each doc. */
export type TFittedReferencedDocs = { text: string; tokens: number; uses: TReferencedDocUse[]; notes: string[] };

/**
 * Fits the referenced docs into `room` tokens, in the order they were referenced: each doc whole
 * while it fits; the first one that does not is cut (its end replaced by a marker saying how much
 * was kept) when at least a few dozen tokens are left, else it is left out, and so are the ones
 * after it that do not fit. Withheld and missing docs take one line each. `budget` is only named in
 * the notes.
 */
export function fitReferencedDocs(docs: readonly TReferencedDoc[], room: number, budget: number): TFittedReferencedDocs {
  if (docs.length === 0) return { text: "", tokens: 0, uses: [], notes: [] };
  const headerTokens = countTokens(REFERENCED_DOCS_HEADER);
  let left = room - headerTokens;
  const parts: string[] = [];
  const uses: TReferencedDocUse[] = [];
  const notes: string[] = [];
  // Withheld and missing docs are one line each: room is kept for the later ones, so a long doc cut
  // before them does not hide them.
  const lineTokens = docs.map((doc) => (doc.status === "included" ? 0 : countTokens(heading(doc) + body(doc))));
  docs.forEach((doc, i) => {
    const full = heading(doc) + body(doc);
    const fullTokens = countTokens(full);
    const use = { id: doc.id, ref: doc.ref, title: doc.title };
    const reserved = lineTokens.slice(i + 1).reduce((a, b) => a + b, 0);
    if (fullTokens <= left - reserved) {
      parts.push(full);
      left -= fullTokens;
      uses.push({ ...use, status: doc.status, tokens: fullTokens });
      return;
    }
    const cut = doc.status === "included" ? cutDoc(doc, left - reserved) : null;
    if (cut) {
      parts.push(cut.text);
      left -= cut.tokens;
      uses.push({ ...use, status: "truncated", tokens: cut.tokens });
      notes.push(`Cut #${doc.ref} from ${fullTokens} to ${cut.tokens} tokens to fit the ${budget}-token budget`);
    } else {
      uses.push({ ...use, status: "left_out", tokens: 0 });
      notes.push(`Left out #${doc.ref}: no room for it in the ${budget}-token budget`);
    }
  });
  if (parts.length === 0) return { text: "", tokens: 0, uses, notes };
  const text = REFERENCED_DOCS_HEADER + parts.join("");
  return { text, tokens: countTokens(text), uses, notes };
}

/** The doc's section cut to at most `room` tokens, marker included; null when not even a useful part fits. */
function cutDoc(doc: TReferencedDoc, room: number): { text: string; tokens: number } | null {
  const content = body(doc);
  const fullTokens = countTokens(content);
  const overhead = countTokens(heading(doc)) + countTokens(truncatedMarker(doc.ref, fullTokens, fullTokens));
  let allowance = room - overhead;
  while (allowance >= MIN_DOC_TOKENS) {
    const kept = truncateToTokens(content, allowance).trimEnd();
    const text = heading(doc) + kept + truncatedMarker(doc.ref, countTokens(kept), fullTokens);
    const tokens = countTokens(text);
    if (tokens <= room) return { text, tokens };
    allowance -= Math.max(1, Math.ceil(allowance * 0.05));
  }
  return null;
}
