/** The part of a doc the composer needs to reference it (a brain_docs row, without its text). */
export interface TDocRefTarget {
  id: string;
  agent_key: string | null;
  doc_type: string;
  title: string;
}

/** A doc reference the database resolved when the message was sent (metadata.doc_refs). */
export interface TStoredDocRef {
  id: string;
  ref: string;
  title: string;
}

/**
 * "#runbook" or "#scout/memory" as a word of its own; the same expression as
 * public.doc_ref_names() in supabase/migrations/20261202010000_reference_docs_in_messages.sql, so
 * the chips shown before sending are the references the database stores.
 */
const DOC_REF = /(?<![\p{L}\p{N}_#&/.@-])#([a-z][a-z0-9_-]{0,31}(?:\/[a-z][a-z0-9_]{0,31})?)(?![\p{L}\p{N}_/-])/giu;

/** At most this many docs per message (public.doc_refs_limit()). */
export const DOC_REFS_LIMIT = 10;

/** A doc's reference name: its doc type for a project doc, `agent/doc_type` for an agent's doc. */
export function docRefName(doc: Pick<TDocRefTarget, "agent_key" | "doc_type">): string {
  return doc.agent_key ? `${doc.agent_key}/${doc.doc_type}` : doc.doc_type;
}

/** The reference names in a text, lower-cased, each once, in order of first appearance. */
export function docRefNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(DOC_REF)) {
    const name = (match[1] ?? "").toLowerCase();
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The docs a text references, in order (at most DOC_REFS_LIMIT); a name that matches no doc is plain text. */
export function resolveDocRefs<T extends TDocRefTarget>(text: string, docs: readonly T[]): T[] {
  const byName = new Map(docs.map((doc) => [docRefName(doc), doc]));
  const resolved: T[] = [];
  for (const name of docRefNames(text)) {
    const doc = byName.get(name);
    if (doc) resolved.push(doc);
    if (resolved.length === DOC_REFS_LIMIT) break;
  }
  return resolved;
}

/** The `#word` being typed just before the caret (its start is the `#`), if any. */
export function docRefQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|[\s([{,;:!?"'])#([a-z0-9_/-]{0,65})$/i.exec(text.slice(0, caret));
  if (!match) return null;
  const query = (match[2] ?? "").toLowerCase();
  return { start: caret - query.length - 1, query };
}

/** Docs whose name or title matches the query: names starting with it first, then titles containing it. At most `limit`. */
export function filterDocRefs<T extends TDocRefTarget>(docs: readonly T[], query: string, limit = 8): T[] {
  const q = query.toLowerCase();
  const sorted = [...docs].sort((a, b) => docRefName(a).localeCompare(docRefName(b)));
  const starts = sorted.filter((doc) => docRefName(doc).startsWith(q) || doc.doc_type.startsWith(q));
  const rest = q ? sorted.filter((doc) => !starts.includes(doc) && `${docRefName(doc)} ${doc.title}`.toLowerCase().includes(q)) : [];
  return [...starts, ...rest].slice(0, limit);
}

/** The composer's text once a doc is picked: the typed `#word` replaced by the reference and a space, caret after it. */
export function insertDocRef(
  text: string,
  query: { start: number; query: string },
  caret: number,
  doc: TDocRefTarget,
): { text: string; caret: number } {
  const rest = text
    .slice(caret)
    .replace(/^[a-z0-9_/-]*/i, "")
    .replace(/^ /, "");
  const head = `${text.slice(0, query.start)}#${docRefName(doc)} `;
  return { text: head + rest, caret: head.length };
}

/** The references stored with a sent message (metadata.doc_refs), ignoring anything malformed. */
export function readStoredDocRefs(metadata: unknown): TStoredDocRef[] {
  const refs = (metadata as { doc_refs?: unknown } | null)?.doc_refs;
  if (!Array.isArray(refs)) return [];
  return refs.flatMap((item) => {
    const ref = item as Partial<TStoredDocRef> | null;
    return ref && typeof ref.id === "string" && typeof ref.ref === "string"
      ? [{ id: ref.id, ref: ref.ref, title: typeof ref.title === "string" ? ref.title : "" }]
      : [];
  });
}
