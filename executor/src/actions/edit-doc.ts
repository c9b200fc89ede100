import type { TEditDocParams } from "./action-params.ts";
import { refused, type TActionContext, type TActionOutcome } from "./action-types.ts";

/**
 * edit_doc: replaces the content (and title, when given) of the brain doc with this doc_type
 * (project-wide when agent_key is null), creating it when missing. The result keeps the previous
 * title and content, so a rollback can restore them.
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

  if (existing.data) {
    const updated = await ctx.db
      .from("brain_docs")
      .update({ content: params.content, ...(params.title !== undefined ? { title: params.title } : {}) })
      .eq("id", existing.data.id)
      .select("id")
      .single();
    if (updated.error) return refused(`Could not update the doc "${params.doc_type}": ${updated.error.message}`);
    return {
      ok: true,
      result: {
        doc_id: existing.data.id,
        doc_type: params.doc_type,
        agent_key: agentKey,
        created: false,
        previous: { title: existing.data.title, content: existing.data.content },
        rollback: "restore previous.title and previous.content",
      },
    };
  }
  const inserted = await ctx.db
    .from("brain_docs")
    .insert({
      project_id: ctx.proposal.project_id,
      agent_key: agentKey,
      doc_type: params.doc_type,
      title: params.title ?? "",
      content: params.content,
    })
    .select("id")
    .single();
  if (inserted.error) return refused(`Could not create the doc "${params.doc_type}": ${inserted.error.message}`);
  return {
    ok: true,
    result: {
      doc_id: inserted.data.id,
      doc_type: params.doc_type,
      agent_key: agentKey,
      created: true,
      previous: null,
      rollback: "delete the doc (it did not exist before)",
    },
  };
}
