-- What the executor does with runs, each one transaction (service role only): claim queued runs
-- with skip-locked and a lease, keep the lease alive, record progress, propose a changeset or
-- another action, finish, and queue again what a dead executor left behind. Everything it writes
-- for a run that is no longer running under it (cancelled, finished, taken over) is refused with
-- 55000, so a cancel takes effect even while a provider request is in flight.

create or replace function public.load_ai_run_context(p_run_id uuid)
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
      ),
      'project_tasks', coalesce((
        select jsonb_agg(jsonb_build_object('id', x.id, 'title', x.title, 'status', x.status, 'assignee_agent_key', x.assignee_agent_key, 'priority', x.priority)
                         order by x.open desc, x.updated_at desc)
        from (
          select pt.*, pt.status <> 'done' as open from public.tasks pt
          where pt.project_id = r.project_id
          order by pt.status <> 'done' desc, pt.updated_at desc
          limit 100
        ) x
      ), '[]'::jsonb)
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
comment on function public.load_ai_run_context(uuid) is 'Executor only: everything a run needs, as one JSON document: run, agent (null when removed), agent_defaults, connections (the agent''s and the defaults'' provider connections, each with its ciphertext), budgets_apply, task (or null), task_events (the task''s last 30, oldest first), thread and thread_messages (the run''s chat thread and its last 20 messages, oldest first), mission, agent_docs, run_settings (ai_run_settings), parent (for revision and test runs: {run, changeset, files, reviews, test_result}), handoff_note (the data of the run''s latest handoff event) and project_tasks (id, title, status, assignee_agent_key, priority of up to 100 tasks, open ones first). Null when the run does not exist.';
revoke all on function public.load_ai_run_context(uuid) from public, anon, authenticated;
grant execute on function public.load_ai_run_context(uuid) to service_role;

create or replace function public.claim_ai_runs(
  p_executor_id text,
  p_limit integer default 4,
  p_lease_seconds integer default 30,
  p_run_id uuid default null
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
    v_ids := v_ids || v_run.id;
  end loop;
  -- A second statement, so each context is read after the claim.
  return (
    select coalesce(jsonb_agg(jsonb_build_object('run', to_jsonb(r), 'context', public.load_ai_run_context(r.id)) order by r.created_at, r.id), '[]'::jsonb)
    from public.ai_runs r
    where r.id = any (v_ids)
  );
end;
$$;
comment on function public.claim_ai_runs(text, integer, integer, uuid) is 'Executor only: claims up to p_limit queued runs (oldest first; only p_run_id when given) with for no key update skip locked, so two executors never take the same one: each becomes running, claimed by p_executor_id with a lease of p_lease_seconds and one more attempt (a status event says so), and its task moves from inbox / assigned to in_progress on the first claim. A run whose agent was removed or disabled fails instead. Answers [{run, context}] (context: load_ai_run_context).';
revoke all on function public.claim_ai_runs(text, integer, integer, uuid) from public, anon, authenticated;
grant execute on function public.claim_ai_runs(text, integer, integer, uuid) to service_role;

create or replace function public.heartbeat_ai_runs(p_executor_id text, p_run_ids uuid[], p_lease_seconds integer default 30)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_kept uuid[];
begin
  with kept as (
    update public.ai_runs
    set lease_expires_at = now() + make_interval(secs => greatest(5, least(coalesce(p_lease_seconds, 30), 3600))), heartbeat_at = now()
    where id = any (coalesce(p_run_ids, '{}')) and status = 'running' and claimed_by = p_executor_id
    returning id
  )
  select coalesce(array_agg(id), '{}') into v_kept from kept;
  return coalesce((select array_agg(distinct x) from unnest(coalesce(p_run_ids, '{}')) x where not (x = any (v_kept))), '{}');
end;
$$;
comment on function public.heartbeat_ai_runs(text, uuid[], integer) is 'Executor only: extends by p_lease_seconds the leases of the given runs that are still running under p_executor_id, and answers the ids that are not (cancelled, finished, requeued or taken over): the executor aborts those.';
revoke all on function public.heartbeat_ai_runs(text, uuid[], integer) from public, anon, authenticated;
grant execute on function public.heartbeat_ai_runs(text, uuid[], integer) to service_role;

create or replace function public.lock_running_ai_run(p_executor_id text, p_run_id uuid, p_allow_needs_approval boolean default false)
returns public.ai_runs
language plpgsql
set search_path = ''
as $$
declare
  v_run public.ai_runs;
begin
  select * into v_run from public.ai_runs where id = p_run_id for no key update;
  if not found then
    raise exception 'Run % does not exist', p_run_id using errcode = 'P0002', hint = 'Drop the run: it was removed.';
  end if;
  if v_run.claimed_by is distinct from p_executor_id
     or not (v_run.status = 'running' or (p_allow_needs_approval and v_run.status = 'needs_approval')) then
    raise exception 'Run % is %', p_run_id,
      case when v_run.status = 'running' then 'running under executor ' || coalesce(v_run.claimed_by, 'none') || ', not ' || coalesce(p_executor_id, 'none')
           else replace(v_run.status, '_', ' ') end
      using errcode = '55000', hint = 'Abort the run: it was cancelled, finished, or taken over after its lease expired; record nothing more for it.';
  end if;
  return v_run;
end;
$$;
comment on function public.lock_running_ai_run(text, uuid, boolean) is 'Internal: locks a run the executor is writing for, refusing (55000, "run is cancelled" and the like) unless it is running (or, when allowed, waiting for approval) under that executor.';
revoke all on function public.lock_running_ai_run(text, uuid, boolean) from public, anon, authenticated;
grant execute on function public.lock_running_ai_run(text, uuid, boolean) to service_role;

create or replace function public.append_ai_run_events(p_run public.ai_runs, p_events jsonb)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_item jsonb;
  v_index integer := 0;
  v_summary text;
  v_agent text;
  v_id uuid;
  v_ids uuid[] := '{}';
begin
  if p_events is null or jsonb_typeof(p_events) = 'null' then
    return v_ids;
  end if;
  if jsonb_typeof(p_events) <> 'array' then
    raise exception 'Events must be a JSON array of {kind, summary, data}' using errcode = '22023';
  end if;
  if jsonb_array_length(p_events) > 100 then
    raise exception 'At most 100 events per call (got %)', jsonb_array_length(p_events) using errcode = '22023', hint = 'Split the batch.';
  end if;
  for v_item in select e from jsonb_array_elements(p_events) e loop
    v_index := v_index + 1;
    if jsonb_typeof(v_item) is distinct from 'object' then
      raise exception 'Event % is not an object', v_index using errcode = '22023';
    end if;
    if coalesce(v_item ->> 'kind', '') not in ('status', 'message', 'read_file', 'tool_call', 'propose_changeset', 'test_start', 'test_result', 'needs_approval', 'handoff', 'error') then
      raise exception 'Event %: unknown kind "%"', v_index, v_item ->> 'kind'
        using errcode = '22023', hint = 'Use one of RUN_EVENT_KINDS: message, read_file, tool_call, test_start, test_result, handoff, error...';
    end if;
    v_summary := btrim(coalesce(v_item ->> 'summary', ''));
    if v_summary = '' then
      raise exception 'Event % (%) needs a summary: one short sentence', v_index, v_item ->> 'kind' using errcode = '22023';
    end if;
    if length(v_summary) > 500 then
      v_summary := left(v_summary, 499) || '…';
    end if;
    if v_item ? 'data' and jsonb_typeof(v_item -> 'data') not in ('object', 'null') then
      raise exception 'Event %: data must be a JSON object', v_index using errcode = '22023';
    end if;
    v_agent := coalesce(v_item ->> 'agent_key', p_run.agent_key);
    if v_agent !~ '^[a-z][a-z0-9_-]{0,31}$' then
      raise exception 'Event %: "%" is not an agent key', v_index, v_agent using errcode = '22023';
    end if;
    insert into public.ai_run_events (project_id, run_id, kind, agent_key, summary, data)
    values (p_run.project_id, p_run.id, v_item ->> 'kind', v_agent, v_summary,
            case when jsonb_typeof(v_item -> 'data') = 'object' then v_item -> 'data' else '{}'::jsonb end)
    returning id into v_id;
    v_ids := v_ids || v_id;
  end loop;
  return v_ids;
end;
$$;
comment on function public.append_ai_run_events(public.ai_runs, jsonb) is 'Internal: appends [{kind, summary, data, agent_key?}] to a run''s timeline in order (a summary longer than 500 characters is shortened; agent_key defaults to the run''s agent); 22023 naming the event that is wrong. Answers the new event ids.';
revoke all on function public.append_ai_run_events(public.ai_runs, jsonb) from public, anon, authenticated;
grant execute on function public.append_ai_run_events(public.ai_runs, jsonb) to service_role;

create or replace function public.record_ai_run_progress(p_executor_id text, p_run_id uuid, p_events jsonb, p_progress jsonb default '{}'::jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_run public.ai_runs := public.lock_running_ai_run(p_executor_id, p_run_id);
  v_progress jsonb := coalesce(p_progress, '{}'::jsonb);
  v_ids uuid[];
  v_key text;
begin
  if jsonb_typeof(v_progress) <> 'object' then
    raise exception 'Progress must be a JSON object' using errcode = '22023';
  end if;
  for v_key in select k from jsonb_object_keys(v_progress) k loop
    if v_key not in ('current_step', 'step_count', 'input_tokens_delta', 'output_tokens_delta', 'cost_usd_delta', 'settings') then
      raise exception 'Unknown progress field "%"', v_key
        using errcode = '22023', hint = 'Use current_step, step_count, input_tokens_delta, output_tokens_delta, cost_usd_delta or settings.';
    end if;
    if v_key = 'current_step' and jsonb_typeof(v_progress -> v_key) <> 'string' then
      raise exception 'current_step must be a string' using errcode = '22023';
    end if;
    if v_key = 'settings' and jsonb_typeof(v_progress -> v_key) <> 'object' then
      raise exception 'settings must be a JSON object' using errcode = '22023';
    end if;
    if v_key in ('step_count', 'input_tokens_delta', 'output_tokens_delta', 'cost_usd_delta')
       and (jsonb_typeof(v_progress -> v_key) <> 'number' or (v_progress ->> v_key)::numeric < 0
            or (v_key <> 'cost_usd_delta' and (v_progress ->> v_key)::numeric <> trunc((v_progress ->> v_key)::numeric))) then
      raise exception '% must be a number that is not negative%', v_key, case when v_key = 'cost_usd_delta' then '' else ' and whole' end
        using errcode = '22023';
    end if;
  end loop;

  v_ids := public.append_ai_run_events(v_run, p_events);
  if v_progress <> '{}'::jsonb then
    update public.ai_runs
    set current_step = case when v_progress ? 'current_step' then left(v_progress ->> 'current_step', 300) else current_step end,
        step_count = case when v_progress ? 'step_count' then (v_progress ->> 'step_count')::integer else step_count end,
        input_tokens = input_tokens + coalesce((v_progress ->> 'input_tokens_delta')::bigint, 0),
        output_tokens = output_tokens + coalesce((v_progress ->> 'output_tokens_delta')::bigint, 0),
        cost_usd = case when v_progress ? 'cost_usd_delta' then coalesce(cost_usd, 0) + (v_progress ->> 'cost_usd_delta')::numeric else cost_usd end,
        settings = case when v_progress ? 'settings' then v_progress -> 'settings' else settings end
    where id = p_run_id
    returning * into v_run;
  end if;
  return jsonb_build_object('run', to_jsonb(v_run), 'event_ids', to_jsonb(v_ids));
end;
$$;
comment on function public.record_ai_run_progress(text, uuid, jsonb, jsonb) is 'Executor only: appends events [{kind, summary, data, agent_key?}] to a run and applies progress {current_step, step_count, input_tokens_delta, output_tokens_delta, cost_usd_delta, settings}, in one transaction. Refused (55000) unless the run is running and claimed by p_executor_id: a cancelled run records nothing more. Answers {run, event_ids}.';
revoke all on function public.record_ai_run_progress(text, uuid, jsonb, jsonb) from public, anon, authenticated;
grant execute on function public.record_ai_run_progress(text, uuid, jsonb, jsonb) to service_role;

create or replace function public.propose_run_changeset(p_executor_id text, p_run_id uuid, p_changeset jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_run public.ai_runs;
  v_existing public.changesets;
  v_agent_key text;
  v_summary text;
  v_risk text;
  v_file jsonb;
  v_index integer := 0;
  v_kind text;
  v_path text;
  v_paths text[] := '{}';
  v_additions integer := 0;
  v_deletions integer := 0;
  v_changeset_id uuid := extensions.gen_random_uuid();
  v_proposal_id uuid := extensions.gen_random_uuid();
begin
  -- A retry after a lost answer finds the changeset the first call made.
  select * into v_existing from public.changesets c where c.run_id = p_run_id;
  if found then
    return jsonb_build_object('changeset_id', v_existing.id, 'proposal_id', v_existing.proposal_id);
  end if;
  v_run := public.lock_running_ai_run(p_executor_id, p_run_id);
  select * into v_existing from public.changesets c where c.run_id = p_run_id;
  if found then
    return jsonb_build_object('changeset_id', v_existing.id, 'proposal_id', v_existing.proposal_id);
  end if;
  if v_run.mode <> 'implement' then
    raise exception 'Only implement runs propose changesets; run % is a % run', p_run_id, v_run.mode
      using errcode = '55000', hint = 'Start an implement run (/implement) to change files.';
  end if;

  if jsonb_typeof(p_changeset) is distinct from 'object' then
    raise exception 'The changeset must be a JSON object {summary, risk, files}' using errcode = '22023';
  end if;
  v_summary := btrim(coalesce(p_changeset ->> 'summary', ''));
  if v_summary = '' or length(v_summary) > 500 then
    raise exception 'Say in one line (at most 500 characters) what the changeset does' using errcode = '22023';
  end if;
  v_risk := coalesce(p_changeset ->> 'risk', 'low');
  if v_risk not in ('low', 'medium', 'high') then
    raise exception 'Unknown risk "%"', v_risk using errcode = '22023', hint = 'Use low, medium or high.';
  end if;
  if jsonb_typeof(p_changeset -> 'files') is distinct from 'array' or jsonb_array_length(p_changeset -> 'files') = 0 then
    raise exception 'A changeset changes at least one file (files: [...])' using errcode = '22023';
  end if;
  if jsonb_array_length(p_changeset -> 'files') > 50 then
    raise exception 'A changeset changes at most 50 files (got %)', jsonb_array_length(p_changeset -> 'files')
      using errcode = '22023', hint = 'Split the work into several runs.';
  end if;
  for v_file in select e from jsonb_array_elements(p_changeset -> 'files') e loop
    v_index := v_index + 1;
    if jsonb_typeof(v_file) is distinct from 'object' then
      raise exception 'File % is not an object', v_index using errcode = '22023';
    end if;
    v_path := v_file ->> 'path';
    if v_path is null or not public.is_workspace_path(v_path) then
      raise exception 'File %: "%" is not a relative path inside the workspace', v_index, v_path
        using errcode = '22023', hint = 'Use a path relative to the workspace, without .. and outside .mission-control/.';
    end if;
    if v_path = any (v_paths) then
      raise exception 'File %: % is listed twice', v_index, v_path using errcode = '22023', hint = 'List each path at most once.';
    end if;
    v_paths := v_paths || v_path;
    v_kind := v_file ->> 'change_kind';
    if v_kind is null or v_kind not in ('add', 'modify', 'delete') then
      raise exception 'File % (%): unknown change kind "%"', v_index, v_path, v_kind using errcode = '22023', hint = 'Use add, modify or delete.';
    end if;
    if (v_kind = 'add') <> (jsonb_typeof(v_file -> 'base_sha256') is distinct from 'string')
       or (v_kind = 'add') <> (jsonb_typeof(v_file -> 'base_content') is distinct from 'string')
       or (v_kind = 'delete') <> (jsonb_typeof(v_file -> 'new_content') is distinct from 'string')
       or (v_kind = 'delete') <> (jsonb_typeof(v_file -> 'new_sha256') is distinct from 'string') then
      raise exception 'File % (%): a % needs %', v_index, v_path, v_kind, case v_kind
          when 'add' then 'new_content and new_sha256, and no base'
          when 'modify' then 'base_content, base_sha256, new_content and new_sha256'
          else 'base_content and base_sha256, and no new content' end
        using errcode = '22023';
    end if;
    if coalesce(v_file ->> 'base_sha256', repeat('0', 64)) !~ '^[0-9a-f]{64}$' or coalesce(v_file ->> 'new_sha256', repeat('0', 64)) !~ '^[0-9a-f]{64}$' then
      raise exception 'File % (%): a sha-256 is 64 lower-case hex digits', v_index, v_path using errcode = '22023';
    end if;
    if length(v_file ->> 'base_content') > 1000000 or length(v_file ->> 'new_content') > 1000000 then
      raise exception 'File % (%): contents are at most 1000000 characters', v_index, v_path using errcode = '22023';
    end if;
    if jsonb_typeof(coalesce(v_file -> 'additions', '0')) <> 'number' or jsonb_typeof(coalesce(v_file -> 'deletions', '0')) <> 'number'
       or (coalesce(v_file ->> 'additions', '0'))::numeric < 0 or (coalesce(v_file ->> 'deletions', '0'))::numeric < 0 then
      raise exception 'File % (%): additions and deletions are counts of lines', v_index, v_path using errcode = '22023';
    end if;
    if length(coalesce(v_file ->> 'rationale', '')) > 500 or length(coalesce(v_file ->> 'risk_notes', '')) > 2000 then
      raise exception 'File % (%): the rationale is one line (at most 500 characters), risk notes at most 2000', v_index, v_path using errcode = '22023';
    end if;
    v_additions := v_additions + (coalesce(v_file ->> 'additions', '0'))::numeric::integer;
    v_deletions := v_deletions + (coalesce(v_file ->> 'deletions', '0'))::numeric::integer;
  end loop;

  v_agent_key := coalesce((select a.agent_key from public.agents a where a.id = v_run.agent_id), v_run.agent_key);
  insert into public.changesets (id, project_id, run_id, task_id, agent_key, summary, risk, files_count, additions, deletions)
  values (v_changeset_id, v_run.project_id, v_run.id, v_run.task_id, v_agent_key, v_summary, v_risk, v_index, v_additions, v_deletions);
  insert into public.changeset_files (
    project_id, changeset_id, position, path, change_kind, base_sha256, base_content, new_content, new_sha256,
    unified_diff, rationale, risk_notes, additions, deletions
  )
  select v_run.project_id, v_changeset_id, (e.ord - 1)::integer, e.f ->> 'path', e.f ->> 'change_kind', e.f ->> 'base_sha256',
         e.f ->> 'base_content', e.f ->> 'new_content', e.f ->> 'new_sha256', coalesce(e.f ->> 'unified_diff', ''),
         btrim(coalesce(e.f ->> 'rationale', '')), btrim(coalesce(e.f ->> 'risk_notes', '')),
         (coalesce(e.f ->> 'additions', '0'))::numeric::integer, (coalesce(e.f ->> 'deletions', '0'))::numeric::integer
  from jsonb_array_elements(p_changeset -> 'files') with ordinality as e(f, ord);

  -- The approval: the agent's profile must allow apply_changeset at this risk (the proposal triggers check it).
  insert into public.action_proposals (
    id, project_id, action_type, summary, params, risk, blast_radius, reversibility, rollback_plan,
    proposed_by_agent_key, task_id, thread_id, run_id
  )
  values (
    v_proposal_id, v_run.project_id, 'apply_changeset', v_summary,
    jsonb_build_object('changeset_id', v_changeset_id, 'paths', to_jsonb(v_paths)), v_risk,
    left(v_index || ' file' || case when v_index = 1 then '' else 's' end || ' (+' || v_additions || ' -' || v_deletions || '): '
         || array_to_string(v_paths, ', '), 2000),
    'reversible', 'Rollback restores every file''s previous content', v_agent_key, v_run.task_id, v_run.thread_id, v_run.id
  );
  update public.changesets set proposal_id = v_proposal_id where id = v_changeset_id;
  update public.ai_runs set status = 'needs_approval', current_step = 'Waiting for approval' where id = v_run.id;
  perform public.append_ai_run_events(v_run, jsonb_build_array(
    jsonb_build_object('kind', 'propose_changeset',
      'summary', 'Proposed a changeset of ' || v_index || ' file' || case when v_index = 1 then '' else 's' end || ': ' || v_summary,
      'data', jsonb_build_object('changeset_id', v_changeset_id, 'proposal_id', v_proposal_id, 'files', v_index,
                                 'additions', v_additions, 'deletions', v_deletions)),
    jsonb_build_object('kind', 'needs_approval', 'summary', 'Waiting for an operator to review the changeset',
      'data', jsonb_build_object('proposal_id', v_proposal_id))
  ));
  return jsonb_build_object('changeset_id', v_changeset_id, 'proposal_id', v_proposal_id);
end;
$$;
comment on function public.propose_run_changeset(text, uuid, jsonb) is 'Executor only: records the changeset an implement run proposes ({summary, risk, files: [{path, change_kind, base_sha256, base_content, new_content, new_sha256, unified_diff, rationale, risk_notes, additions, deletions}]}, position = order) with an apply_changeset proposal over all its paths (reversible; the agent''s tools and risk tolerance apply), moves the run to needs_approval and appends propose_changeset and needs_approval events. Refused (55000) unless the run is running under p_executor_id; 22023 naming the file that is wrong. Idempotent per run. Answers {changeset_id, proposal_id}.';
revoke all on function public.propose_run_changeset(text, uuid, jsonb) from public, anon, authenticated;
grant execute on function public.propose_run_changeset(text, uuid, jsonb) to service_role;

create or replace function public.propose_run_action(p_executor_id text, p_run_id uuid, p_proposal jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_run public.ai_runs;
  v_id uuid;
  v_agent_key text;
  v_type text;
begin
  if jsonb_typeof(p_proposal) is distinct from 'object' then
    raise exception 'The proposal must be a JSON object {action_type, params, summary, risk, reversibility, ...}' using errcode = '22023';
  end if;
  if p_proposal ? 'id' then
    if coalesce(p_proposal ->> 'id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then
      raise exception 'The proposal id must be a UUID' using errcode = '22023';
    end if;
    v_id := (p_proposal ->> 'id')::uuid;
    -- A retry after a lost answer finds the proposal the first call made.
    if exists (select 1 from public.action_proposals p where p.id = v_id and p.run_id = p_run_id) then
      return jsonb_build_object('proposal_id', v_id);
    end if;
  end if;
  v_run := public.lock_running_ai_run(p_executor_id, p_run_id);
  v_type := p_proposal ->> 'action_type';
  if v_type = 'apply_changeset' then
    raise exception 'A changeset is proposed with propose_run_changeset, not as a plain action' using errcode = '22023';
  end if;
  if v_type is null or v_type not in ('create_task', 'schedule_job', 'edit_doc', 'send_message', 'api_call', 'file_write') then
    raise exception 'Unknown action type "%"', v_type using errcode = '22023';
  end if;
  if jsonb_typeof(p_proposal -> 'params') is distinct from 'object' then
    raise exception 'The params of a % proposal must be a JSON object', v_type using errcode = '22023';
  end if;
  if coalesce(p_proposal ->> 'risk', '') not in ('low', 'medium', 'high') then
    raise exception 'Unknown risk "%"', p_proposal ->> 'risk' using errcode = '22023', hint = 'Use low, medium or high.';
  end if;
  if coalesce(p_proposal ->> 'reversibility', '') not in ('reversible', 'partial', 'irreversible') then
    raise exception 'Unknown reversibility "%"', p_proposal ->> 'reversibility'
      using errcode = '22023', hint = 'Use reversible, partial or irreversible.';
  end if;
  v_agent_key := coalesce((select a.agent_key from public.agents a where a.id = v_run.agent_id), v_run.agent_key);
  insert into public.action_proposals (
    id, project_id, action_type, params, summary, risk, blast_radius, reversibility, rollback_plan, expires_at,
    proposed_by_agent_key, task_id, thread_id, revision_of, run_id
  )
  values (
    coalesce(v_id, extensions.gen_random_uuid()), v_run.project_id, v_type, p_proposal -> 'params',
    coalesce(p_proposal ->> 'summary', ''), p_proposal ->> 'risk', coalesce(p_proposal ->> 'blast_radius', ''),
    p_proposal ->> 'reversibility', coalesce(p_proposal ->> 'rollback_plan', ''),
    coalesce((p_proposal ->> 'expires_at')::timestamptz, now() + interval '24 hours'),
    v_agent_key, v_run.task_id, v_run.thread_id, (p_proposal ->> 'revision_of')::uuid, v_run.id
  )
  returning id into v_id;
  perform public.append_ai_run_events(v_run, jsonb_build_array(jsonb_build_object(
    'kind', 'tool_call',
    'summary', left('Proposed ' || v_type || coalesce(': ' || nullif(btrim(p_proposal ->> 'summary'), ''), ''), 500),
    'data', jsonb_build_object('tool', v_type, 'arguments', p_proposal -> 'params', 'ok', true,
                               'result_preview', 'Waiting for an operator''s approval', 'proposal_id', v_id))));
  return jsonb_build_object('proposal_id', v_id);
end;
$$;
comment on function public.propose_run_action(text, uuid, jsonb) is 'Executor only: inserts an action an agent proposes during a run (any action type but apply_changeset: {id?, action_type, params, summary, risk, blast_radius, reversibility, rollback_plan, expires_at?, revision_of?}) with the run''s task, thread and run_id, and a tool_call event. Refused (55000) unless the run is running under p_executor_id; the agent''s tools and risk tolerance apply. Idempotent by the proposal id. Answers {proposal_id}.';
revoke all on function public.propose_run_action(text, uuid, jsonb) from public, anon, authenticated;
grant execute on function public.propose_run_action(text, uuid, jsonb) to service_role;

create or replace function public.finish_ai_run(
  p_executor_id text,
  p_run_id uuid,
  p_outcome text,
  p_summary text,
  p_error text default null,
  p_test jsonb default null
)
returns public.ai_runs
language plpgsql
set search_path = ''
as $$
declare
  v_run public.ai_runs;
  v_parent public.ai_runs;
  v_settings jsonb;
  v_pending boolean;
  v_agent_key text;
  v_failed_tests boolean;
  v_tail text;
  v_what text;
begin
  if p_outcome is null or p_outcome not in ('completed', 'failed') then
    raise exception 'Unknown outcome "%"', p_outcome using errcode = '22023', hint = 'Use completed or failed.';
  end if;
  if p_test is not null and jsonb_typeof(p_test) not in ('object', 'null') then
    raise exception 'The test result must be a JSON object {command, exit_code, passed, duration_ms, timed_out, output_tail}' using errcode = '22023';
  end if;
  select * into v_run from public.ai_runs where id = p_run_id for no key update;
  if not found then
    raise exception 'Run % does not exist', p_run_id using errcode = 'P0002';
  end if;
  -- A retried finish, or a finish after a cancel, gets the run as it ended.
  if v_run.status in ('completed', 'failed', 'cancelled') then
    return v_run;
  end if;
  v_run := public.lock_running_ai_run(p_executor_id, p_run_id, true);

  v_failed_tests := v_run.mode = 'test' and jsonb_typeof(p_test) = 'object' and (p_test ->> 'passed') = 'false';
  if v_run.mode = 'test' and jsonb_typeof(p_test) = 'object'
     and not exists (select 1 from public.ai_run_events e where e.run_id = v_run.id and e.kind = 'test_result') then
    perform public.append_ai_run_events(v_run, jsonb_build_array(jsonb_build_object(
      'kind', 'test_result',
      'summary', case when (p_test ->> 'passed') = 'true' then 'Tests passed' else 'Tests failed' end
        || coalesce(': ' || (p_test ->> 'command'), '') || coalesce(' (exit code ' || (p_test ->> 'exit_code') || ')', ''),
      'data', p_test)));
  end if;

  if p_outcome = 'failed' then
    update public.ai_runs
    set status = 'failed', error = left(coalesce(nullif(btrim(p_error), ''), 'failed without an error message'), 5000),
        result_summary = left(nullif(btrim(p_summary), ''), 20000)
    where id = p_run_id
    returning * into v_run;
  else
    v_pending := exists (select 1 from public.action_proposals p where p.run_id = p_run_id and p.status in ('proposed', 'approved', 'executing'));
    update public.ai_runs
    set status = case when v_pending then 'needs_approval' else 'completed' end,
        result_summary = left(coalesce(nullif(btrim(p_summary), ''), result_summary), 20000)
    where id = p_run_id
    returning * into v_run;
  end if;

  if v_failed_tests then
    select * into v_parent from public.ai_runs where id = v_run.parent_run_id;
    if found and v_parent.mode = 'implement' then
      v_settings := public.ai_run_settings(v_run.project_id);
      v_tail := right(coalesce(p_test ->> 'output_tail', ''), 8000);
      v_what := coalesce(p_test ->> 'command', v_settings ->> 'test_command') || ' '
        || case when (p_test ->> 'timed_out') = 'true' then 'timed out' else 'exited with code ' || coalesce(p_test ->> 'exit_code', '?') end;
      select a.agent_key into v_agent_key from public.agents a where a.id = v_parent.agent_id and a.enabled;
      if v_parent.iteration < (v_settings ->> 'max_iterations')::integer and v_agent_key is not null then
        perform public.queue_ai_run(
          v_run.project_id, v_agent_key, 'implement', 'revision', v_parent.goal,
          'The tests failed after your changeset was applied (iteration ' || v_parent.iteration || ' of ' || (v_settings ->> 'max_iterations') || '): '
            || v_what || E'.\nFix the code so they pass.' || case when v_tail <> '' then E'\nOutput (tail):\n' || v_tail else '' end,
          v_parent.task_id, v_parent.thread_id, v_parent.id, v_parent.iteration + 1,
          p_requested_by => v_parent.requested_by
        );
      else
        perform public.append_ai_run_events(v_run, jsonb_build_array(jsonb_build_object(
          'kind', 'handoff',
          'summary', left('Handed off to the operator: ' || v_what || ' after ' || v_parent.iteration || ' iteration'
                          || case when v_parent.iteration = 1 then '' else 's' end, 500),
          'data', jsonb_build_object('from', coalesce(v_agent_key, v_parent.agent_key), 'to', 'operator',
                                     'note', left(v_what || case when v_tail <> '' then E'\n' || v_tail else '' end, 5000)))));
        if v_parent.task_id is not null then
          insert into public.task_events (project_id, task_id, kind, author_type, content, metadata)
          values (v_run.project_id, v_parent.task_id, 'comment', 'system',
                  left('The tests still fail after ' || v_parent.iteration || ' iteration' || case when v_parent.iteration = 1 then '' else 's' end
                       || ' of @' || coalesce(v_agent_key, v_parent.agent_key) || ': ' || v_what
                       || E'. An operator needs to take over (fix it, or hand the task to another agent).'
                       || case when v_tail <> '' then E'\n\n```\n' || right(v_tail, 4000) || E'\n```' else '' end, 100000),
                  jsonb_build_object('kind', 'handoff', 'to', 'operator', 'run_id', v_run.id, 'parent_run_id', v_parent.id));
        end if;
      end if;
    end if;
  end if;
  return v_run;
end;
$$;
comment on function public.finish_ai_run(text, uuid, text, text, text, jsonb) is 'Executor only: ends a run it is working on: failed (with p_error), or completed, or needs_approval when proposals of the run are still proposed / approved / executing (it completes when they resolve). p_test ({command, exit_code, passed, duration_ms, timed_out, output_tail}) of a test run is recorded as its test_result event when none was; when the tests failed and the parent implement run is below run_settings.max_iterations, an implement run (origin revision, iteration + 1) is queued with the output tail, else a handoff event {to: operator} and a system comment in the task say what failed. Idempotent on a final run; 55000 when the run is not this executor''s.';
revoke all on function public.finish_ai_run(text, uuid, text, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.finish_ai_run(text, uuid, text, text, text, jsonb) to service_role;

create or replace function public.requeue_expired_ai_runs()
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_run public.ai_runs;
  v_count integer := 0;
begin
  for v_run in
    select * from public.ai_runs r
    where r.status = 'running' and r.lease_expires_at < now()
    order by r.lease_expires_at
    for no key update skip locked
  loop
    if v_run.attempts < public.ai_run_max_attempts() then
      update public.ai_runs set status = 'queued' where id = v_run.id;
    else
      update public.ai_runs
      set status = 'failed', error = 'The executor stopped ' || v_run.attempts || ' times while working on this run'
      where id = v_run.id;
    end if;
    v_count := v_count + 1;
  end loop;
  return v_count;
end;
$$;
comment on function public.requeue_expired_ai_runs() is 'Watchdog (executor only): running runs whose lease expired (their executor stopped) are queued again while they have had fewer than ai_run_max_attempts() claims, else failed ("The executor stopped 3 times while working on this run"). Answers how many runs it moved.';
revoke all on function public.requeue_expired_ai_runs() from public, anon, authenticated;
grant execute on function public.requeue_expired_ai_runs() to service_role;

create or replace function public.claim_changeset_rollbacks(p_executor_id text, p_limit integer default 5)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_ids uuid[];
begin
  if coalesce(btrim(p_executor_id), '') = '' then
    raise exception 'claim_changeset_rollbacks needs the executor id' using errcode = '22023';
  end if;
  with picked as (
    select c.id from public.changesets c
    where c.status = 'applied' and c.rollback_requested_at is not null
      -- A claim older than 5 minutes belongs to an executor that stopped: take it over.
      and (c.rollback_claimed_at is null or c.rollback_claimed_at < now() - interval '5 minutes')
    order by c.rollback_requested_at
    for no key update skip locked
    limit greatest(1, least(coalesce(p_limit, 5), 50))
  ),
  claimed as (
    update public.changesets c set rollback_claimed_by = p_executor_id, rollback_claimed_at = now()
    from picked where c.id = picked.id
    returning c.id
  )
  select coalesce(array_agg(id), '{}') into v_ids from claimed;
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
      'changeset', to_jsonb(c),
      'files', coalesce((select jsonb_agg(to_jsonb(f) order by f.position) from public.changeset_files f
                         where f.changeset_id = c.id and f.path = any (c.applied_paths)), '[]'::jsonb)
    ) order by c.rollback_requested_at), '[]'::jsonb)
    from public.changesets c where c.id = any (v_ids)
  );
end;
$$;
comment on function public.claim_changeset_rollbacks(text, integer) is 'Executor only: claims up to p_limit applied changesets whose rollback was requested and that no executor claimed in the last 5 minutes (for no key update skip locked). Answers [{changeset, files}] with the files that were applied (applied_paths), whose base content the rollback restores.';
revoke all on function public.claim_changeset_rollbacks(text, integer) from public, anon, authenticated;
grant execute on function public.claim_changeset_rollbacks(text, integer) to service_role;

create or replace function public.finish_changeset_rollback(p_executor_id text, p_changeset_id uuid, p_ok boolean, p_error text default null)
returns public.changesets
language plpgsql
set search_path = ''
as $$
declare
  v_changeset public.changesets;
  v_files integer;
begin
  select * into v_changeset from public.changesets where id = p_changeset_id for no key update;
  if not found then
    raise exception 'Changeset % does not exist', p_changeset_id using errcode = 'P0002';
  end if;
  if v_changeset.status = 'rolled_back' and coalesce(p_ok, false) then
    return v_changeset;
  end if;
  if v_changeset.status <> 'applied' or v_changeset.rollback_claimed_by is distinct from p_executor_id then
    raise exception 'The rollback of changeset % is not claimed by executor % (it is %)', p_changeset_id, p_executor_id, replace(v_changeset.status, '_', ' ')
      using errcode = '55000', hint = 'Another executor took the rollback over, or it was finished already; record nothing.';
  end if;
  v_files := cardinality(v_changeset.applied_paths);
  if coalesce(p_ok, false) then
    update public.changesets
    set status = 'rolled_back', rolled_back_by = rollback_requested_by, error = null
    where id = p_changeset_id
    returning * into v_changeset;
    insert into public.ai_run_events (project_id, run_id, kind, agent_key, summary, data)
    values (v_changeset.project_id, v_changeset.run_id, 'status', null,
            'Rolled back ' || v_files || ' file' || case when v_files = 1 then '' else 's' end,
            jsonb_build_object('from', 'applied', 'to', 'rolled_back', 'changeset_id', v_changeset.id, 'paths', to_jsonb(v_changeset.applied_paths)));
  else
    update public.changesets
    set error = left(coalesce(nullif(btrim(p_error), ''), 'the rollback failed without an error message'), 5000),
        rollback_requested_at = null, rollback_requested_by = null, rollback_claimed_by = null, rollback_claimed_at = null
    where id = p_changeset_id
    returning * into v_changeset;
    insert into public.ai_run_events (project_id, run_id, kind, agent_key, summary, data)
    values (v_changeset.project_id, v_changeset.run_id, 'error', null, left('Rollback failed: ' || v_changeset.error, 500),
            jsonb_build_object('message', v_changeset.error, 'changeset_id', v_changeset.id));
  end if;
  return v_changeset;
end;
$$;
comment on function public.finish_changeset_rollback(text, uuid, boolean, text) is 'Executor only: records the outcome of a rollback it claimed: ok -> rolled_back (rolled_back_by = who asked) with a status event "Rolled back N files" on the run; not ok -> stays applied with the error, the request cleared (the operator can ask again), and an error event on the run. Idempotent after success; 55000 when the claim is not this executor''s.';
revoke all on function public.finish_changeset_rollback(text, uuid, boolean, text) from public, anon, authenticated;
grant execute on function public.finish_changeset_rollback(text, uuid, boolean, text) to service_role;

create or replace function public.handoff_ai_run(p_executor_id text, p_run_id uuid, p_to_agent_key text, p_note text default '')
returns public.ai_runs
language plpgsql
set search_path = ''
as $$
declare
  v_run public.ai_runs := public.lock_running_ai_run(p_executor_id, p_run_id);
  v_note text := left(btrim(coalesce(p_note, '')), 5000);
  v_pending boolean;
  v_next public.ai_runs;
begin
  if p_to_agent_key is null or p_to_agent_key !~ '^[a-z][a-z0-9_-]{0,31}$' or p_to_agent_key = v_run.agent_key then
    raise exception 'Hand the work to another agent by its key (got "%")', p_to_agent_key
      using errcode = '22023', hint = 'Name an agent of the roster other than the one running.';
  end if;
  if not exists (select 1 from public.agents a where a.project_id = v_run.project_id and a.agent_key = p_to_agent_key and a.enabled) then
    raise exception 'There is no enabled agent @% in this project', p_to_agent_key
      using errcode = 'P0002', hint = 'Hand the work to an agent from the roster.';
  end if;
  -- This run's part is done (it waits for its open proposals, if any); the next agent takes over.
  perform public.append_ai_run_events(v_run, jsonb_build_array(jsonb_build_object(
    'kind', 'handoff',
    'summary', left('Handed off to @' || p_to_agent_key || coalesce(': ' || nullif(v_note, ''), ''), 500),
    'data', jsonb_build_object('from', v_run.agent_key, 'to', p_to_agent_key, 'note', v_note))));
  v_pending := exists (select 1 from public.action_proposals p where p.run_id = p_run_id and p.status in ('proposed', 'approved', 'executing'));
  update public.ai_runs
  set status = case when v_pending then 'needs_approval' else 'completed' end,
      result_summary = left('Handed off to @' || p_to_agent_key || coalesce(': ' || nullif(v_note, ''), ''), 20000)
  where id = p_run_id
  returning * into v_run;
  if v_run.task_id is not null then
    v_next := public.hand_off_task(v_run.task_id, p_to_agent_key, v_note, null);
  else
    v_next := public.queue_ai_run(
      v_run.project_id, p_to_agent_key, v_run.mode, 'handoff', v_run.goal,
      case when v_note <> '' then 'Hand-off note from @' || v_run.agent_key || ': ' || v_note else '' end,
      null, v_run.thread_id, p_participants => case when p_to_agent_key = any (v_run.participants) then v_run.participants else v_run.participants || p_to_agent_key end,
      p_requested_by => v_run.requested_by
    );
    insert into public.ai_run_events (project_id, run_id, kind, agent_key, summary, data)
    values (v_next.project_id, v_next.id, 'handoff', p_to_agent_key,
            left('Handed off from @' || v_run.agent_key || ' to @' || p_to_agent_key || coalesce(': ' || nullif(v_note, ''), ''), 500),
            jsonb_build_object('from', v_run.agent_key, 'to', p_to_agent_key, 'note', v_note));
  end if;
  return v_next;
end;
$$;
comment on function public.handoff_ai_run(text, uuid, text, text) is 'Executor only: the agent of a run it is working on hands the work to another enabled agent with a note: a handoff event {from, to, note} ends this run (completed, or needs_approval while its proposals are open), and the next agent gets an implement run on the task (as handoff_ai_task: the task is reassigned, its other active runs cancelled), or, without a task, a run of the same mode in the same thread. Refused (55000) unless the run is running under p_executor_id. Answers the new run.';
revoke all on function public.handoff_ai_run(text, uuid, text, text) from public, anon, authenticated;
grant execute on function public.handoff_ai_run(text, uuid, text, text) to service_role;
