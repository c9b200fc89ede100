-- A run's context is what every run needs before its agent starts; it is read right after the
-- claim for every run claimed (load_ai_run_contexts), so it decides how fast a burst of runs gets
-- going. Two parts of it were paid by every run for the few that use them:
-- - project_tasks: up to 100 of the project's tasks, sorted over all of them (open first, then by
--   update), for the list_tasks tool. The executor now reads them when an agent calls list_tasks,
--   as the board is then, and with filters applied in the database (a status filter used to see
--   only the first 100 tasks).
-- - referenced_docs: run_doc_refs walked the run's chain of parents and load_referenced_docs ran,
--   in SQL functions planned on every call, for runs that no message or comment started.

create or replace function public.load_ai_run_base_context(p_run_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select jsonb_build_object(
      'run', to_jsonb(r),
      'agent', case when a.id is null then null else to_jsonb(a) end,
      'agent_defaults', s.value,
      'connections', case when coalesce(a.provider_connection_id, ids.from_defaults) is null then '[]'::jsonb else coalesce((
        select jsonb_agg(to_jsonb(c) || jsonb_build_object('ciphertext', k.ciphertext) order by c.id)
        from public.provider_connections c
        left join public.provider_connection_secrets k on k.connection_id = c.id
        where c.id in (a.provider_connection_id, ids.from_defaults) and c.project_id = r.project_id
      ), '[]'::jsonb) end,
      'budgets_apply', exists (
        select 1 from public.budgets g
        where g.project_id = r.project_id and (g.agent_id is null or g.agent_id = a.id)
      ),
      'task', case when t.id is null then null else to_jsonb(t) end,
      'task_events', coalesce((
        select jsonb_agg(to_jsonb(e) order by e.created_at, e.seq)
        from (
          select * from public.task_events x
          where x.task_id = r.task_id
          order by x.created_at desc, x.seq desc
          limit 30
        ) e
      ), '[]'::jsonb),
      'thread', case when th.id is null then null
        else jsonb_build_object('id', th.id, 'kind', th.kind, 'thread_key', th.thread_key, 'title', th.title) end,
      'thread_messages', coalesce((
        select jsonb_agg(to_jsonb(m) order by m.created_at, m.seq)
        from (
          select * from public.project_chat_messages x
          where x.thread_id = r.thread_id
          order by x.created_at desc, x.seq desc
          limit 20
        ) m
      ), '[]'::jsonb),
      'mission', (
        select to_jsonb(b) from public.brain_docs b
        where b.project_id = r.project_id and b.agent_key is null and b.doc_type = 'mission'
      ),
      'agent_docs', coalesce((
        select jsonb_agg(to_jsonb(b) order by b.created_at)
        from public.brain_docs b
        where b.project_id = r.project_id and b.agent_key = coalesce(a.agent_key, r.agent_key)
      ), '[]'::jsonb),
      'run_settings', public.ai_run_settings(r.project_id),
      'parent', (
        select jsonb_build_object(
          'run', to_jsonb(p),
          'changeset', to_jsonb(cs),
          'files', coalesce((select jsonb_agg(to_jsonb(f) order by f.position) from public.changeset_files f where f.changeset_id = cs.id), '[]'::jsonb),
          'reviews', coalesce((select jsonb_agg(to_jsonb(v) order by v.created_at, v.seq) from public.changeset_reviews v where v.changeset_id = cs.id), '[]'::jsonb),
          -- The latest test result of the parent's applied changeset (what a fix has to make pass).
          'test_result', (
            select e.data from public.ai_run_events e
            join public.ai_runs tr on tr.id = e.run_id
            where tr.parent_run_id = p.id and tr.mode = 'test' and e.kind = 'test_result'
            order by e.created_at desc, e.seq desc
            limit 1
          )
        )
        from public.ai_runs p
        left join public.changesets cs on cs.run_id = p.id
        where p.id = r.parent_run_id
      ),
      'handoff_note', (
        select e.data from public.ai_run_events e
        where e.run_id = r.id and e.kind = 'handoff'
        order by e.created_at desc, e.seq desc
        limit 1
      )
    )
    from public.ai_runs r
    left join public.agents a on a.id = r.agent_id
    left join public.tasks t on t.id = r.task_id
    left join public.project_chat_threads th on th.id = r.thread_id
    left join public.project_settings s on s.project_id = r.project_id and s.key = 'agent_defaults'
    cross join lateral (
      select case when s.value ->> 'provider_connection_id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
        then (s.value ->> 'provider_connection_id')::uuid end as from_defaults
    ) ids
    where r.id = p_run_id
  );
end;
$$;
comment on function public.load_ai_run_base_context(uuid) is 'Internal: load_ai_run_context without referenced_docs (run, agent, agent_defaults, connections, budgets_apply, task, task_events, thread, thread_messages, mission, agent_docs, run_settings, parent, handoff_note). Null when the run does not exist. The project''s tasks are not part of it: list_tasks reads them when the agent asks.';
revoke all on function public.load_ai_run_base_context(uuid) from public, anon, authenticated;
grant execute on function public.load_ai_run_base_context(uuid) to service_role;

create or replace function public.run_doc_refs(p_run_id uuid) returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  -- A run that no message, comment or earlier run started references nothing.
  if not exists (
    select 1 from public.ai_runs r
    where r.id = p_run_id
      and (r.parent_run_id is not null or r.source_message_id is not null or r.source_task_event_id is not null)
  ) then
    return '[]'::jsonb;
  end if;
  -- A fix or test run queued after a command inherits the references of the message that started the chain.
  return coalesce((
    with recursive chain as (
      select r.id, r.parent_run_id, r.source_message_id, r.source_task_event_id, 1 as depth
      from public.ai_runs r where r.id = p_run_id
      union all
      select p.id, p.parent_run_id, p.source_message_id, p.source_task_event_id, c.depth + 1
      from public.ai_runs p join chain c on p.id = c.parent_run_id
      where c.depth < 20
    )
    select x.refs
    from chain c
    cross join lateral (
      select coalesce(
        (select m.metadata -> 'doc_refs' from public.project_chat_messages m where m.id = c.source_message_id),
        (select e.metadata -> 'doc_refs' from public.task_events e where e.id = c.source_task_event_id)
      ) as refs
    ) x
    where x.refs is not null
    order by c.depth
    limit 1
  ), '[]'::jsonb);
end;
$$;
comment on function public.run_doc_refs(uuid) is 'Executor only: the doc references (metadata.doc_refs) of the chat message or task comment that started the run, else of the nearest parent run''s; [] when none.';
revoke all on function public.run_doc_refs(uuid) from public, anon, authenticated;
grant execute on function public.run_doc_refs(uuid) to service_role;

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
  return v_base || jsonb_build_object('referenced_docs', case
    when jsonb_typeof(v_refs) <> 'array' or jsonb_array_length(v_refs) = 0 then '[]'::jsonb
    else (select public.load_referenced_docs(r.project_id, r.agent_key, v_refs) from public.ai_runs r where r.id = p_run_id)
  end);
end;
$$;
comment on function public.load_ai_run_context(uuid) is 'Executor only: load_ai_run_base_context (everything a run needs, read once) plus referenced_docs: the docs referenced by the message or comment that started the run (run_doc_refs), as the run''s agent may read them (load_referenced_docs). Null when the run does not exist.';
revoke all on function public.load_ai_run_context(uuid) from public, anon, authenticated;
grant execute on function public.load_ai_run_context(uuid) to service_role;
