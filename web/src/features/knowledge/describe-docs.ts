import type { TBrainDoc, TBrainDocVersion } from "@mission-control/shared/rows";

/** Doc types shown first, in this order; any other type follows alphabetically. */
export const USUAL_DOC_TYPES = ["mission", "instructions", "memory", "runbook"] as const;

/** Suggestions for a new doc's type. */
export const SUGGESTED_DOC_TYPES = ["mission", "instructions", "memory", "runbook", "playbook", "style_guide", "notes"];

const orderOf = (docType: string) => {
  const index = (USUAL_DOC_TYPES as readonly string[]).indexOf(docType);
  return index === -1 ? USUAL_DOC_TYPES.length : index;
};

/** A doc's name in lists: its title, else its type. */
export const docName = (doc: Pick<TBrainDoc, "title" | "doc_type">) => doc.title.trim() || doc.doc_type;

/** One group of the doc list: the project's docs (agentKey null) or one agent's. */
export interface TDocGroup {
  agentKey: string | null;
  label: string;
  docs: TBrainDoc[];
}

/**
 * The project's docs grouped for the list: project-wide first, then each agent of the roster in
 * roster order (agents without docs included, so an operator can add one), then docs of agents no
 * longer in the roster. Within a group: mission, instructions, memory, runbook, then by type.
 */
export function groupDocs(docs: readonly TBrainDoc[], agents: ReadonlyArray<{ agent_key: string; display_name: string }>): TDocGroup[] {
  const sorted = [...docs].sort((a, b) => orderOf(a.doc_type) - orderOf(b.doc_type) || a.doc_type.localeCompare(b.doc_type));
  const groups: TDocGroup[] = [{ agentKey: null, label: "Project", docs: sorted.filter((d) => d.agent_key === null) }];
  const known = new Set<string>();
  for (const agent of agents) {
    known.add(agent.agent_key);
    groups.push({ agentKey: agent.agent_key, label: agent.display_name, docs: sorted.filter((d) => d.agent_key === agent.agent_key) });
  }
  const orphans = [...new Set(sorted.map((d) => d.agent_key).filter((k): k is string => k !== null && !known.has(k)))].sort();
  for (const key of orphans) groups.push({ agentKey: key, label: `@${key}`, docs: sorted.filter((d) => d.agent_key === key) });
  return groups;
}

/** The doc a `?doc=` value names: a doc id, or `mission` for the project mission. */
export function findDoc(docs: readonly TBrainDoc[], param: string | null): TBrainDoc | null {
  if (!param) return null;
  if (param === "mission") return docs.find((d) => d.doc_type === "mission" && d.agent_key === null) ?? null;
  return docs.find((d) => d.id === param) ?? null;
}

/** Who wrote a version, in words: "You", "Operator", the agent's name, or "System" (seed, migrations). */
export function authorOf(
  version: Pick<TBrainDocVersion, "author_user_id" | "author_agent_key">,
  myUserId: string,
  agentNames: ReadonlyMap<string, string>,
): string {
  if (version.author_agent_key) return agentNames.get(version.author_agent_key) ?? `@${version.author_agent_key}`;
  if (version.author_user_id) return version.author_user_id === myUserId ? "You" : "Operator";
  return "System";
}
