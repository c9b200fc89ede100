import type { TEditDocParams } from "./action-params.ts";
import { refused, type TActionContext, type TActionOutcome } from "./action-types.ts";

/**
 * edit_doc: replaces the content (and title, when given) of the brain doc with this doc_type
 * (project-wide when agent_key is null), creating it when missing, as a new version authored by the
 * proposing agent. The result keeps the previous title and content, so a rollback can restore them.
 */
export async function editDoc(ctx: TActionContext, params: TEditDocParams): Promise<TActionOutcome> {
  const agentKey = params.agent_key ?? null;
  let query = ctx.db
    .from("brain_docs")
    .select("id, title, content")
    .eq("project_id", ctx.proposal.project_id)
    .eq("doc_type", params.doc_type);
  query = agentKey === null ? query.is("agent_key", null) : query.eq("agent_key", agentKey);
  const existing = await query.maybeSingle();
  if (existing.error) return refused(`Could not read the doc "${params.doc_type}": ${existing.error.message}`);

  // One path for every doc write: save_brain_doc_as_agent creates or replaces the doc in one
  // transaction and appends a version authored by the proposing agent.
  const saved = await ctx.db.rpc("save_brain_doc_as_agent", {
    p_project_id: ctx.proposal.project_id,
    p_doc_type: params.doc_type,
    p_content: params.content,
    p_author_agent_key: ctx.proposal.proposed_by_agent_key,
    ...(agentKey === null ? {} : { p_agent_key: agentKey }),
    ...(params.title === undefined ? {} : { p_title: params.title }),
  });
  if (saved.error || !saved.data) {
    return refused(`Could not save the doc "${params.doc_type}": ${saved.error?.message ?? "the database returned no doc"}`);
  }
  return {
    ok: true,
    result: {
      doc_id: saved.data.id,
      doc_type: params.doc_type,
      agent_key: agentKey,
      version: saved.data.version,
      created: !existing.data,
      previous: existing.data ? { title: existing.data.title, content: existing.data.content } : null,
      rollback: existing.data ? "restore previous.title and previous.content" : "delete the doc (it did not exist before)",
    },
  };
}
