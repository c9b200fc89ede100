-- A run's context carries the skill gate (the project's skills that unlock tools and are not
-- ready, with why), so the executor no longer reads skills and skills_mirror for every run it
-- works: a burst of 100 assignments made 200 of those reads while the next runs were being claimed.

create or replace function public.read_skill_gate(p_project_id uuid) returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('name', s.name, 'status', m.status, 'tools', to_jsonb(s.tools), 'reasons', to_jsonb(m.reasons))
                            order by s.name, s.id), '[]'::jsonb)
  from public.skills s
  join public.skills_mirror m on m.skill_id = s.id
  where s.project_id = p_project_id and cardinality(s.tools) > 0 and m.status <> 'ready';
$$;
comment on function public.read_skill_gate(uuid) is 'Executor only: the project''s skills that unlock tools and whose latest verdict (skills_mirror) is not ready, as [{name, status, tools, reasons}] by name. A skill never checked yet withholds nothing (the executor checks every skill when it starts, before it claims runs).';
revoke all on function public.read_skill_gate(uuid) from public, anon, authenticated;
grant execute on function public.read_skill_gate(uuid) to service_role;

create or replace function public.load_ai_run_context(p_run_id uuid) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_base jsonb := public.load_ai_run_base_context(p_run_id);
  v_refs jsonb;
begin
  if v_base is null then
    return null;
  end if;
  v_refs := public.run_doc_refs(p_run_id);
  return v_base || jsonb_build_object(
    'referenced_docs', case
      when jsonb_typeof(v_refs) <> 'array' or jsonb_array_length(v_refs) = 0 then '[]'::jsonb
      else (select public.load_referenced_docs(r.project_id, r.agent_key, v_refs) from public.ai_runs r where r.id = p_run_id)
    end,
    'skill_gate', public.read_skill_gate((v_base -> 'run' ->> 'project_id')::uuid)
  );
end;
$$;
comment on function public.load_ai_run_context(uuid) is 'Executor only: load_ai_run_base_context (everything a run needs, read once) plus referenced_docs: the docs referenced by the message or comment that started the run (run_doc_refs), as the run''s agent may read them (load_referenced_docs), and skill_gate: the project''s unready skills that withhold tools (read_skill_gate). Null when the run does not exist.';
revoke all on function public.load_ai_run_context(uuid) from public, anon, authenticated;
grant execute on function public.load_ai_run_context(uuid) to service_role;
