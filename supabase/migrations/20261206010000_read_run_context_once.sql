-- load_ai_run_context read each run's base context twice: the planner inlined the lateral
-- subquery into both places that named its column (the document and the "not null" test), so
-- load_ai_run_base_context ran twice per run claimed. Now it runs once, in plpgsql.

create or replace function public.load_ai_run_context(p_run_id uuid) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_base jsonb := public.load_ai_run_base_context(p_run_id);
begin
  if v_base is null then
    return null;
  end if;
  return v_base || jsonb_build_object('referenced_docs', (
    select public.load_referenced_docs(r.project_id, r.agent_key, public.run_doc_refs(r.id))
    from public.ai_runs r
    where r.id = p_run_id
  ));
end;
$$;
comment on function public.load_ai_run_context(uuid) is 'Executor only: load_ai_run_base_context (everything a run needs, read once) plus referenced_docs: the docs referenced by the message or comment that started the run (run_doc_refs), as the run''s agent may read them (load_referenced_docs). Null when the run does not exist.';
revoke all on function public.load_ai_run_context(uuid) from public, anon, authenticated;
grant execute on function public.load_ai_run_context(uuid) to service_role;
