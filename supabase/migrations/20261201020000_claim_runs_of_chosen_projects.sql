-- claim_ai_runs, again: it can leave the contexts out (p_with_context false), so a large claim
-- commits at once and the executor reads the contexts in a second call (load_ai_run_contexts).
-- Also: the first claim of a run on a task also writes the agent's "Started …"
-- update in the task thread, in the claim's transaction.
--
-- An executor may be limited to some projects (RUN_PROJECT_IDS, like APPROVAL_PROJECT_IDS): tests
-- that share one database then never work each other's runs, and an operator can dedicate an
-- executor (a machine with the project's workspace) to its projects.

drop function public.claim_ai_runs(text, integer, integer, uuid);

create or replace function public.claim_ai_runs(
  p_executor_id text,
  p_limit integer default 4,
  p_lease_seconds integer default 30,
  p_run_id uuid default null,
  p_project_ids uuid[] default null,
  p_with_context boolean default true
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_run public.ai_runs;
  v_agent public.agents;
  v_ids uuid[] := '{}';
  v_previous_agent text := coalesce(current_setting('mission_control.agent_key', true), '');
begin
  if coalesce(btrim(p_executor_id), '') = '' then
    raise exception 'claim_ai_runs needs the executor id' using errcode = '22023';
  end if;
  for v_run in
    select * from public.ai_runs r
    where r.status = 'queued' and (p_run_id is null or r.id = p_run_id)
      and (p_project_ids is null or cardinality(p_project_ids) = 0 or r.project_id = any (p_project_ids))
    order by r.created_at, r.id
    for no key update skip locked
    limit greatest(1, least(coalesce(p_limit, 4), 100))
  loop
    select * into v_agent from public.agents a where a.id = v_run.agent_id;
    if not found or not v_agent.enabled then
      update public.ai_runs
      set status = 'failed',
          error = case when v_agent.id is null then '@' || v_run.agent_key || ' was removed before the run started: start it again with another agent'
                       else '@' || v_run.agent_key || ' is disabled: enable it on the Agents page and start the run again' end
      where id = v_run.id;
      continue;
    end if;
    update public.ai_runs
    set status = 'running', claimed_by = p_executor_id, attempts = attempts + 1, heartbeat_at = now(),
        lease_expires_at = now() + make_interval(secs => greatest(5, least(coalesce(p_lease_seconds, 30), 3600)))
    where id = v_run.id
    returning * into v_run;
    -- The first claim of a run on an assigned task starts the work on the board, as the agent.
    if v_run.attempts = 1 and v_run.task_id is not null then
      perform set_config('mission_control.agent_key', v_agent.agent_key, true);
      update public.tasks set status = 'in_progress'
      where id = v_run.task_id and status in ('inbox', 'assigned') and assignee_agent_key is not null;
      perform set_config('mission_control.agent_key', v_previous_agent, true);
    end if;
    -- The agent's first word in the task thread is written by the claim itself: one statement for
    -- every run claimed at once, visible to the dashboard before the executor has read a file.
    if v_run.attempts = 1 and v_run.task_id is not null then
      insert into public.task_events (project_id, task_id, kind, author_type, author_agent_key, content, metadata)
      values (
        v_run.project_id, v_run.task_id, 'agent_update', 'agent', v_agent.agent_key,
        'Started ' || case v_run.mode when 'plan' then 'planning' when 'implement' then 'implementing' else 'testing' end
          || ': ' || left(split_part(btrim(v_run.goal), E'\n', 1), 200),
        jsonb_build_object('run_id', v_run.id, 'mode', v_run.mode)
      );
    end if;
    v_ids := v_ids || v_run.id;
  end loop;
  -- A second statement, so each context is read after the claim.
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
      'run', to_jsonb(r),
      'context', case when coalesce(p_with_context, true) then public.load_ai_run_context(r.id) end
    ) order by r.created_at, r.id), '[]'::jsonb)
    from public.ai_runs r
    where r.id = any (v_ids)
  );
end;
$$;
comment on function public.claim_ai_runs(text, integer, integer, uuid, uuid[], boolean) is 'Executor only: claims up to p_limit queued runs (oldest first; only p_run_id when given) with for no key update skip locked, so two executors never take the same one: each becomes running, claimed by p_executor_id with a lease of p_lease_seconds and one more attempt (a status event says so), and on the first claim its task moves from inbox / assigned to in_progress and gets the agent''s "Started …" agent_update. A run whose agent was removed or disabled fails instead. Answers [{run, context}] (context: load_ai_run_context; null with p_with_context false, when the executor reads the contexts with load_ai_run_contexts after the claim committed, so the claim and the agents'' first updates commit without waiting for them).';
revoke all on function public.claim_ai_runs(text, integer, integer, uuid, uuid[], boolean) from public, anon, authenticated;
grant execute on function public.claim_ai_runs(text, integer, integer, uuid, uuid[], boolean) to service_role;

create or replace function public.load_ai_run_contexts(p_run_ids uuid[])
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('run_id', r.id, 'context', public.load_ai_run_context(r.id)) order by r.created_at, r.id), '[]'::jsonb)
  from public.ai_runs r
  where r.id = any (coalesce(p_run_ids, '{}'))
$$;
comment on function public.load_ai_run_contexts(uuid[]) is 'Executor only: load_ai_run_context of each run in p_run_ids, as [{run_id, context}] (runs that do not exist are left out).';
revoke all on function public.load_ai_run_contexts(uuid[]) from public, anon, authenticated;
grant execute on function public.load_ai_run_contexts(uuid[]) to service_role;
