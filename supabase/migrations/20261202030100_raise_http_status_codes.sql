-- Every RPC answers 404 for what is not found, 403 for what is not allowed, 400 (or 409 for a
-- conflict) for bad input, never 500 (issue 13, "Bad input"). PostgREST, and so Supabase and the
-- local gateway, answers HTTP 500 for SQLSTATE class P0 other than P0001 (P0002 no_data_found),
-- class 55 (55000 object_not_in_prerequisite_state) and class 40 (40001 serialization_failure),
-- and answers HTTP xxx for a custom SQLSTATE PTxxx. So these functions now raise:
--   P0002 (not found)                                   -> PT404
--   55000 (the row is in the wrong state: already resolved, cancelled, finished) -> PT409
--   40001 (the executor's claim was taken over)         -> PT409
-- The codes reach clients as `code` (supabase-js error.code): the web, the executor and the tests
-- read PT404 / PT409 where they read P0002 / 55000 / 40001 before. 42501 (403), 22023 / 23514 /
-- P0001 (400) and 23503 / 23505 (409) were right already and are unchanged.
-- Each definition is copied unchanged from the newest migration that defines it (named above it)
-- apart from the errcode. apply_agent_provision_request keeps its internal 'no agent' P0002: its
-- own no_data_found handler turns it into a failed request, it never reaches the caller.

-- apply_agent_provision_request: from 20261130000200_create_agent_provision_requests.sql.
create or replace function public.apply_agent_provision_request(p_id uuid, p_profile jsonb, p_executor_id text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_request public.agent_provision_requests;
  v_profile jsonb;
  v_fields public.agents;
  v_agent public.agents;
  v_old_key text;
  v_constraint text;
  v_message text;
  v_summary text;
begin
  select * into v_request from public.agent_provision_requests where id = p_id for update;
  if not found then
    raise exception 'Agent provision request % does not exist', p_id
      using errcode = 'PT404', hint = 'The dashboard writes the request (request_agent_provision) before asking the executor to apply it.';
  end if;
  if v_request.status <> 'queued' then
    return public.provision_result(v_request);
  end if;
  -- Requests for one agent apply in the order they were made: an older one still queued goes first.
  if exists (
    select 1 from public.agent_provision_requests o
    where o.project_id = v_request.project_id and o.status = 'queued' and o.id <> v_request.id
      and (o.agent_key = v_request.agent_key or o.agent_id = v_request.agent_id or o.profile ->> 'agent_key' = v_request.agent_key)
      and (o.created_at, o.seq) < (v_request.created_at, v_request.seq)
  ) then
    return public.provision_result(v_request);
  end if;

  v_profile := coalesce(p_profile, v_request.profile);
  if jsonb_typeof(v_profile) is distinct from 'object' then
    raise exception 'The profile of provision request % must be a JSON object', p_id using errcode = '22023';
  end if;
  begin
    v_fields := jsonb_populate_record(null::public.agents, v_profile);
    if v_request.action = 'create' then
      insert into public.agents (
        project_id, agent_key, display_name, role, enabled, system_prompt, tools_enabled, risk_tolerance, capabilities,
        provider, provider_connection_id, model, temperature, max_context_tokens, max_output_tokens, verbosity
      )
      values (
        v_request.project_id, v_request.agent_key, v_fields.display_name, coalesce(v_fields.role, ''), coalesce(v_fields.enabled, true),
        coalesce(v_fields.system_prompt, ''), coalesce(v_fields.tools_enabled, '{}'), coalesce(v_fields.risk_tolerance, 'low'),
        coalesce(v_fields.capabilities, '{}'), v_fields.provider, v_fields.provider_connection_id, v_fields.model, v_fields.temperature,
        v_fields.max_context_tokens, v_fields.max_output_tokens, v_fields.verbosity
      )
      returning * into v_agent;
      v_summary := format('Created agent @%s (%s)', v_agent.agent_key, v_agent.display_name);
    else
      select * into v_agent from public.agents a
      where a.project_id = v_request.project_id
        and (a.id = v_request.agent_id or (v_request.agent_id is null and a.agent_key = v_request.agent_key))
      for update;
      if not found then
        raise exception 'no agent' using errcode = 'P0002';
      end if;
      v_old_key := v_agent.agent_key;
      if v_request.action = 'delete' then
        delete from public.agents where id = v_agent.id;
        v_summary := format('Removed agent @%s', v_old_key);
      else
        update public.agents a set
          agent_key = case when v_profile ? 'agent_key' then v_fields.agent_key else a.agent_key end,
          display_name = case when v_profile ? 'display_name' then v_fields.display_name else a.display_name end,
          role = case when v_profile ? 'role' then coalesce(v_fields.role, '') else a.role end,
          enabled = case when v_profile ? 'enabled' then coalesce(v_fields.enabled, a.enabled) else a.enabled end,
          system_prompt = case when v_profile ? 'system_prompt' then coalesce(v_fields.system_prompt, '') else a.system_prompt end,
          tools_enabled = case when v_profile ? 'tools_enabled' then coalesce(v_fields.tools_enabled, '{}') else a.tools_enabled end,
          risk_tolerance = case when v_profile ? 'risk_tolerance' then coalesce(v_fields.risk_tolerance, a.risk_tolerance) else a.risk_tolerance end,
          capabilities = case when v_profile ? 'capabilities' then coalesce(v_fields.capabilities, '{}') else a.capabilities end,
          provider = case when v_profile ? 'provider' then v_fields.provider else a.provider end,
          provider_connection_id = case
            when v_profile ? 'provider_connection_id' then v_fields.provider_connection_id
            when v_profile ? 'provider' and v_fields.provider is distinct from 'connection' then null
            else a.provider_connection_id end,
          model = case when v_profile ? 'model' then v_fields.model else a.model end,
          temperature = case when v_profile ? 'temperature' then v_fields.temperature else a.temperature end,
          max_context_tokens = case when v_profile ? 'max_context_tokens' then v_fields.max_context_tokens else a.max_context_tokens end,
          max_output_tokens = case when v_profile ? 'max_output_tokens' then v_fields.max_output_tokens else a.max_output_tokens end,
          verbosity = case when v_profile ? 'verbosity' then v_fields.verbosity else a.verbosity end
        where a.id = v_agent.id
        returning * into v_agent;
        if v_agent.agent_key <> v_old_key then
          -- The agent's brain docs, DM thread and waiting deliveries follow it to its new key
          -- (its tasks follow through the foreign key).
          update public.brain_docs set agent_key = v_agent.agent_key where project_id = v_agent.project_id and agent_key = v_old_key;
          update public.project_chat_threads
          set agent_key = v_agent.agent_key, thread_key = 'DM:' || v_agent.agent_key, title = 'DM with ' || v_agent.agent_key
          where project_id = v_agent.project_id and kind = 'dm' and agent_key = v_old_key;
          update public.chat_delivery_queue set agent_key = v_agent.agent_key
          where project_id = v_agent.project_id and agent_key = v_old_key and status = 'queued';
          v_summary := format('Renamed agent @%s to @%s', v_old_key, v_agent.agent_key);
        else
          v_summary := format('Updated agent @%s (%s)', v_agent.agent_key,
            (select string_agg(replace(k, '_', ' '), ', ' order by k) from jsonb_object_keys(v_profile) k));
        end if;
      end if;
    end if;
  exception
    when unique_violation or foreign_key_violation or check_violation or not_null_violation or no_data_found
      or invalid_text_representation or numeric_value_out_of_range or datetime_field_overflow or string_data_right_truncation then
      get stacked diagnostics v_constraint = constraint_name, v_message = message_text;
      if v_message = 'no agent' then
        v_message := format('Agent @%s does not exist in this project (it was removed or renamed): reload the page', v_request.agent_key);
      else
        v_message := public.describe_provision_error(v_constraint, v_message, v_profile, v_request.agent_key);
      end if;
      update public.agent_provision_requests
      set status = 'failed', error = left(v_message, 2000), applied_at = now(), applied_by = p_executor_id
      where id = p_id
      returning * into v_request;
      insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
      values (v_request.project_id, 'system', coalesce(p_executor_id, 'executor'), 'agent.provision_failed',
              left(format('Could not %s agent @%s: %s', v_request.action, v_request.agent_key, v_message), 1000),
              jsonb_build_object('request_id', v_request.id, 'agent_key', v_request.agent_key, 'action', v_request.action));
      return public.provision_result(v_request);
  end;

  update public.agent_provision_requests
  set status = 'applied', agent_id = v_agent.id, applied_at = now(), applied_by = p_executor_id
  where id = p_id
  returning * into v_request;
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (
    v_request.project_id,
    case when v_request.requested_by is not null then 'user' else 'system' end,
    coalesce(v_request.requested_by::text, coalesce(p_executor_id, 'executor')),
    'agent.' || case v_request.action when 'create' then 'created' when 'update' then 'updated' else 'removed' end,
    left(coalesce(v_summary, 'Changed agent @' || v_request.agent_key), 1000),
    jsonb_build_object('request_id', v_request.id, 'agent_id', v_agent.id, 'agent_key', v_agent.agent_key, 'action', v_request.action)
  );
  return public.provision_result(v_request);
end;
$$;

-- cancel_ai_run: from 20261201010300_create_run_operator_rpcs.sql.
create or replace function public.cancel_ai_run(p_run_id uuid)
returns public.ai_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_run public.ai_runs;
begin
  select * into v_run from public.ai_runs where id = p_run_id;
  if not found or not public.has_project_role(v_run.project_id) then
    raise exception 'Run % not found', p_run_id using errcode = 'PT404';
  end if;
  if not public.has_project_role(v_run.project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can cancel runs'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  if v_run.status = 'cancelled' then
    return v_run;
  end if;
  if v_run.status in ('completed', 'failed') then
    raise exception 'Run % is already %: there is nothing to cancel', p_run_id, v_run.status
      using errcode = 'PT409', hint = 'Reload the run; to undo an applied changeset, roll it back.';
  end if;
  v_run := public.stop_ai_run(p_run_id, null, auth.uid());
  if v_run.status in ('completed', 'failed') then
    -- It finished while the cancel waited for it.
    raise exception 'Run % is already %: there is nothing to cancel', p_run_id, v_run.status
      using errcode = 'PT409', hint = 'Reload the run; to undo an applied changeset, roll it back.';
  end if;
  return v_run;
end;
$$;

-- fail_agent_provision_request: from 20261130000200_create_agent_provision_requests.sql.
create or replace function public.fail_agent_provision_request(p_id uuid, p_error text, p_executor_id text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_request public.agent_provision_requests;
begin
  select * into v_request from public.agent_provision_requests where id = p_id for update;
  if not found then
    raise exception 'Agent provision request % does not exist', p_id using errcode = 'PT404';
  end if;
  if v_request.status <> 'queued' then
    return public.provision_result(v_request);
  end if;
  update public.agent_provision_requests
  set status = 'failed', error = left(coalesce(nullif(btrim(p_error), ''), 'The executor refused the profile'), 2000),
      applied_at = now(), applied_by = p_executor_id
  where id = p_id
  returning * into v_request;
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (v_request.project_id, 'system', coalesce(p_executor_id, 'executor'), 'agent.provision_failed',
          left(format('Could not %s agent @%s: %s', v_request.action, v_request.agent_key, v_request.error), 1000),
          jsonb_build_object('request_id', v_request.id, 'agent_key', v_request.agent_key, 'action', v_request.action));
  return public.provision_result(v_request);
end;
$$;

-- finish_action_proposal: from 20261121110700_create_action_proposal_rpcs.sql.
create or replace function public.finish_action_proposal(
  p_proposal_id uuid,
  p_executor_id text,
  p_ok boolean,
  p_result jsonb default null,
  p_error text default null
)
returns public.action_proposals
language plpgsql
set search_path = ''
as $$
declare
  v_proposal public.action_proposals;
begin
  select * into v_proposal from public.action_proposals where id = p_proposal_id for update;
  if not found then
    raise exception 'Action proposal % does not exist', p_proposal_id using errcode = 'PT404';
  end if;
  -- A retried finish after a lost response returns the recorded outcome.
  if v_proposal.status in ('executed', 'failed') and v_proposal.claimed_by is not distinct from p_executor_id
     and (v_proposal.status = 'executed') = coalesce(p_ok, false) then
    return v_proposal;
  end if;
  if v_proposal.status <> 'executing' or v_proposal.claimed_by is distinct from p_executor_id then
    raise exception 'Action proposal % is not being executed by executor % (it is %)', p_proposal_id, p_executor_id, v_proposal.status
      using errcode = 'PT409', hint = 'The watchdog failed it as outcome unknown, or another executor holds it; record nothing and check the action''s effect by hand.';
  end if;
  update public.action_proposals
  set status = case when p_ok then 'executed' else 'failed' end,
      finished_at = now(),
      execution_result = p_result,
      error = case when p_ok then null else coalesce(nullif(btrim(p_error), ''), 'failed without an error message') end
  where id = p_proposal_id
  returning * into v_proposal;
  return v_proposal;
end;
$$;

-- finish_ai_run: from 20261201010400_create_run_executor_rpcs.sql.
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
    raise exception 'Run % does not exist', p_run_id using errcode = 'PT404';
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

-- finish_changeset_rollback: from 20261201010400_create_run_executor_rpcs.sql.
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
    raise exception 'Changeset % does not exist', p_changeset_id using errcode = 'PT404';
  end if;
  if v_changeset.status = 'rolled_back' and coalesce(p_ok, false) then
    return v_changeset;
  end if;
  if v_changeset.status <> 'applied' or v_changeset.rollback_claimed_by is distinct from p_executor_id then
    raise exception 'The rollback of changeset % is not claimed by executor % (it is %)', p_changeset_id, p_executor_id, replace(v_changeset.status, '_', ' ')
      using errcode = 'PT409', hint = 'Another executor took the rollback over, or it was finished already; record nothing.';
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

-- follow_run_proposal: from 20261201010600_follow_run_proposals.sql.
create or replace function public.follow_run_proposal() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_changeset public.changesets;
  v_run public.ai_runs;
  v_paths text[];
  v_agent public.agents;
  v_settings jsonb;
  v_previous_agent text := coalesce(current_setting('mission_control.agent_key', true), '');
begin
  select * into v_run from public.ai_runs where id = new.run_id for no key update;
  if new.action_type = 'apply_changeset' then
    select * into v_changeset from public.changesets c where c.proposal_id = new.id for no key update;
  end if;

  if v_changeset.id is not null then
    if new.status = 'approved' then
      if v_changeset.status <> 'proposed' then
        raise exception 'Changeset % is % and can no longer be approved', v_changeset.id, replace(v_changeset.status, '_', ' ')
          using errcode = 'PT409', hint = 'Its run was cancelled or a revision was asked for: reload the changeset.';
      end if;
      -- The approval names the files to write (all, or the accepted ones of a partial approval).
      if new.params ->> 'changeset_id' is distinct from v_changeset.id::text or jsonb_typeof(new.params -> 'paths') is distinct from 'array'
         or jsonb_array_length(new.params -> 'paths') = 0
         or exists (
           select 1 from jsonb_array_elements(new.params -> 'paths') p
           where jsonb_typeof(p) <> 'string'
              or not exists (select 1 from public.changeset_files f where f.changeset_id = v_changeset.id and f.path = p #>> '{}')
         ) then
        raise exception 'An approval of changeset % lists files that are not in it', v_changeset.id
          using errcode = '22023', hint = 'Approve with {"changeset_id": the changeset, "paths": some of its files}, or reject it to approve none.';
      end if;
      update public.changeset_files f
      set decision = case when f.path = any (array(select jsonb_array_elements_text(new.params -> 'paths'))) then 'accepted' else 'rejected' end
      where f.changeset_id = v_changeset.id and f.decision = 'pending';
    elsif new.status = 'executed' and v_changeset.status = 'proposed' then
      v_paths := array(select jsonb_array_elements_text(
        case when jsonb_typeof(new.execution_result -> 'paths') = 'array' then new.execution_result -> 'paths' else new.params -> 'paths' end));
      update public.changesets set status = 'applied', applied_paths = v_paths, applied_at = now(), error = null where id = v_changeset.id;
      update public.changeset_files f
      set decision = case when f.path = any (v_paths) then 'accepted' else 'rejected' end
      where f.changeset_id = v_changeset.id and f.decision = 'pending';
      -- The work is ready for review on the board, moved by the agent.
      if coalesce(v_changeset.task_id, new.task_id) is not null then
        perform set_config('mission_control.agent_key', v_changeset.agent_key, true);
        update public.tasks set status = 'review' where id = coalesce(v_changeset.task_id, new.task_id) and status not in ('review', 'done');
        perform set_config('mission_control.agent_key', v_previous_agent, true);
      end if;
      -- apply -> test -> fix: the project's test command runs against the applied changeset.
      v_settings := public.ai_run_settings(new.project_id);
      if v_settings ->> 'test_command' <> '' and v_run.mode = 'implement' and v_run.status <> 'cancelled' then
        select * into v_agent from public.agents a where a.id = v_run.agent_id and a.enabled;
        if v_agent.id is not null then
          perform public.queue_ai_run(
            v_run.project_id, v_agent.agent_key, 'test', 'test_after_apply',
            'Run the tests after applying: ' || v_changeset.summary, '',
            v_run.task_id, v_run.thread_id, v_run.id, v_run.iteration, p_requested_by => new.resolved_by
          );
        else
          insert into public.ai_run_events (project_id, run_id, kind, agent_key, summary, data)
          values (v_run.project_id, v_run.id, 'error', v_run.agent_key,
                  'The tests were not run: @' || v_run.agent_key || ' is removed or disabled',
                  jsonb_build_object('message', 'no enabled agent to run the tests'));
        end if;
      end if;
    elsif new.status = 'failed' and v_changeset.status = 'proposed' then
      update public.changesets set status = 'failed', error = left(coalesce(new.error, 'the apply failed'), 5000) where id = v_changeset.id;
    elsif new.status = 'rejected' and v_changeset.status = 'proposed' then
      update public.changesets set status = 'rejected' where id = v_changeset.id;
      update public.changeset_files set decision = 'rejected' where changeset_id = v_changeset.id and decision = 'pending';
    elsif new.status = 'expired' and v_changeset.status = 'proposed' then
      update public.changesets set status = 'expired' where id = v_changeset.id;
    end if;
  end if;

  -- A run waiting for approval is done when none of its proposals is open any more.
  if v_run.status = 'needs_approval' and new.status in ('executed', 'failed', 'rejected', 'expired')
     and not exists (select 1 from public.action_proposals p where p.run_id = new.run_id and p.status in ('proposed', 'approved', 'executing')) then
    update public.ai_runs
    set status = 'completed',
        -- What became of the changeset comes first: it is what the timeline shows.
        result_summary = left(concat_ws(E'\n', case
          when v_changeset.id is null then null
          when new.status = 'executed' then 'Changeset applied (' || cardinality(v_paths) || ' of ' || v_changeset.files_count || ' files)'
          when new.status = 'failed' then 'Changeset not applied: ' || left(coalesce(new.error, 'the apply failed'), 400)
          when new.status = 'rejected' and v_changeset.status = 'revision_requested' then 'Revision requested'
          when new.status = 'rejected' then 'Changeset rejected'
          else 'Changeset expired without a decision' end, nullif(btrim(v_run.result_summary), '')), 20000)
    where id = v_run.id;
  end if;
  return null;
end;
$$;

-- hand_off_task: from 20261201010300_create_run_operator_rpcs.sql.
create or replace function public.hand_off_task(p_task_id uuid, p_to_agent_key text, p_note text, p_by uuid)
returns public.ai_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_task public.tasks;
  v_from text;
  v_note text := left(btrim(coalesce(p_note, '')), 5000);
  v_run_id uuid;
  v_run public.ai_runs;
begin
  -- The task is locked only to reassign it, after its runs are stopped: a claim locks a run, then its task.
  select * into v_task from public.tasks where id = p_task_id;
  if not found then
    raise exception 'Task % not found', p_task_id using errcode = 'PT404';
  end if;
  if not exists (select 1 from public.agents a where a.project_id = v_task.project_id and a.agent_key = p_to_agent_key and a.enabled) then
    raise exception 'There is no enabled agent @% in this project', p_to_agent_key
      using errcode = 'PT404', hint = 'Hand the task to an agent from the roster, or enable it on the Agents page.';
  end if;
  v_from := coalesce(v_task.assignee_agent_key,
    (select r.agent_key from public.ai_runs r where r.task_id = p_task_id order by r.created_at desc limit 1));

  for v_run_id in
    select r.id from public.ai_runs r
    where r.task_id = p_task_id and r.status in ('queued', 'running', 'needs_approval')
    order by r.created_at
  loop
    perform public.stop_ai_run(v_run_id, 'Handed off to @' || p_to_agent_key, p_by);
  end loop;

  if v_task.assignee_agent_key is distinct from p_to_agent_key then
    -- The hand-off queues the run itself (with the note): the assignment must not queue another.
    perform set_config('mission_control.skip_assignment_run', p_task_id::text, true);
    update public.tasks set assignee_agent_key = p_to_agent_key where id = p_task_id;
    perform set_config('mission_control.skip_assignment_run', '', true);
  end if;

  v_run := public.queue_ai_run(
    v_task.project_id, p_to_agent_key, 'implement', 'handoff',
    v_task.title || case when btrim(v_task.description) <> '' then E'\n\n' || v_task.description else '' end,
    case when v_note <> '' then 'Hand-off note from ' || coalesce('@' || v_from, 'an operator') || ': ' || v_note else '' end,
    p_task_id,
    p_participants => case when v_from is not null and v_from <> p_to_agent_key then array[v_from, p_to_agent_key] else array[p_to_agent_key] end,
    p_requested_by => p_by
  );
  insert into public.ai_run_events (project_id, run_id, kind, agent_key, summary, data)
  values (v_run.project_id, v_run.id, 'handoff', p_to_agent_key,
          left(case when v_from is not null then 'Handed off from @' || v_from || ' to @' || p_to_agent_key
                    else 'Handed to @' || p_to_agent_key end || coalesce(': ' || nullif(v_note, ''), ''), 500),
          jsonb_build_object('from', v_from, 'to', p_to_agent_key, 'note', v_note));
  insert into public.task_events (project_id, task_id, kind, author_type, content, metadata)
  values (v_task.project_id, p_task_id, 'comment', 'system',
          case when v_from is not null then 'Handed off from @' || v_from || ' to @' || p_to_agent_key else 'Handed to @' || p_to_agent_key end
            || coalesce(': ' || nullif(v_note, ''), ''),
          jsonb_build_object('kind', 'handoff', 'from', v_from, 'to', p_to_agent_key, 'run_id', v_run.id));
  return v_run;
end;
$$;

-- handoff_ai_run: from 20261201010400_create_run_executor_rpcs.sql.
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
      using errcode = 'PT404', hint = 'Hand the work to an agent from the roster.';
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

-- handoff_ai_task: from 20261201010300_create_run_operator_rpcs.sql.
create or replace function public.handoff_ai_task(p_task_id uuid, p_to_agent_key text, p_note text)
returns public.ai_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_project_id uuid;
begin
  select t.project_id into v_project_id from public.tasks t where t.id = p_task_id;
  if not found or not public.has_project_role(v_project_id) then
    raise exception 'Task % not found', p_task_id using errcode = 'PT404';
  end if;
  if not public.has_project_role(v_project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can hand tasks to agents'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  if p_to_agent_key is null or p_to_agent_key !~ '^[a-z][a-z0-9_-]{0,31}$' then
    raise exception 'Hand the task to an agent by its key (got "%")', p_to_agent_key
      using errcode = '22023', hint = 'An agent key is lower-case letters, digits, _ or -, such as backend.';
  end if;
  if length(btrim(coalesce(p_note, ''))) > 5000 then
    raise exception 'A hand-off note is at most 5000 characters' using errcode = '22023';
  end if;
  return public.hand_off_task(p_task_id, p_to_agent_key, p_note, auth.uid());
end;
$$;

-- load_changeset_for_operator: from 20261201010300_create_run_operator_rpcs.sql.
create or replace function public.load_changeset_for_operator(p_changeset_id uuid)
returns public.changesets
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_changeset public.changesets;
begin
  select * into v_changeset from public.changesets where id = p_changeset_id;
  if not found or not public.has_project_role(v_changeset.project_id) then
    raise exception 'Changeset % not found', p_changeset_id using errcode = 'PT404';
  end if;
  if not public.has_project_role(v_changeset.project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can review changesets'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  return v_changeset;
end;
$$;

-- lock_running_ai_run: from 20261201010400_create_run_executor_rpcs.sql.
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
    raise exception 'Run % does not exist', p_run_id using errcode = 'PT404', hint = 'Drop the run: it was removed.';
  end if;
  if v_run.claimed_by is distinct from p_executor_id
     or not (v_run.status = 'running' or (p_allow_needs_approval and v_run.status = 'needs_approval')) then
    raise exception 'Run % is %', p_run_id,
      case when v_run.status = 'running' then 'running under executor ' || coalesce(v_run.claimed_by, 'none') || ', not ' || coalesce(p_executor_id, 'none')
           else replace(v_run.status, '_', ' ') end
      using errcode = 'PT409', hint = 'Abort the run: it was cancelled, finished, or taken over after its lease expired; record nothing more for it.';
  end if;
  return v_run;
end;
$$;

-- propose_run_changeset: from 20261201010400_create_run_executor_rpcs.sql.
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
      using errcode = 'PT409', hint = 'Start an implement run (/implement) to change files.';
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

-- queue_ai_run: from 20261201010300_create_run_operator_rpcs.sql.
create or replace function public.queue_ai_run(
  p_project_id uuid,
  p_agent_key text,
  p_mode text,
  p_origin text,
  p_goal text,
  p_constraints text default '',
  p_task_id uuid default null,
  p_thread_id uuid default null,
  p_parent_run_id uuid default null,
  p_iteration integer default 1,
  p_participants text[] default null,
  p_source_message_id uuid default null,
  p_source_task_event_id uuid default null,
  p_run_id uuid default null,
  p_requested_by uuid default null
)
returns public.ai_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_agent public.agents;
  v_run public.ai_runs;
begin
  select * into v_agent from public.agents a where a.project_id = p_project_id and a.agent_key = p_agent_key;
  if not found or not v_agent.enabled then
    raise exception 'There is no enabled agent @% in this project', p_agent_key
      using errcode = 'PT404', hint = 'Pick an agent from the roster, or enable it on the Agents page.';
  end if;
  insert into public.ai_runs (
    id, project_id, agent_id, agent_key, mode, origin, goal, constraints, task_id, thread_id, parent_run_id, iteration,
    participants, max_steps, requested_by, source_message_id, source_task_event_id
  )
  values (
    coalesce(p_run_id, extensions.gen_random_uuid()), p_project_id, v_agent.id, v_agent.agent_key, p_mode, p_origin,
    left(btrim(p_goal), 20000), left(coalesce(p_constraints, ''), 20000), p_task_id, p_thread_id, p_parent_run_id,
    coalesce(p_iteration, 1), coalesce(p_participants, array[v_agent.agent_key]),
    (public.ai_run_settings(p_project_id) ->> 'max_steps')::integer, coalesce(p_requested_by, auth.uid()),
    p_source_message_id, p_source_task_event_id
  )
  returning * into v_run;
  return v_run;
end;
$$;

-- request_changeset_revision: from 20261201010300_create_run_operator_rpcs.sql.
create or replace function public.request_changeset_revision(p_changeset_id uuid, p_reviews jsonb)
returns public.ai_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_changeset public.changesets := public.load_changeset_for_operator(p_changeset_id);
  v_parent public.ai_runs;
  v_proposal public.action_proposals;
  v_agent_key text;
  v_text text;
  v_run public.ai_runs;
begin
  -- Locks in the order an approval takes them (proposal, run, changeset), so a concurrent approval
  -- or cancel waits for this one, or this one for it, instead of deadlocking.
  if v_changeset.proposal_id is not null then
    select * into v_proposal from public.action_proposals where id = v_changeset.proposal_id for no key update;
  end if;
  select * into v_parent from public.ai_runs where id = v_changeset.run_id for no key update;
  select * into v_changeset from public.changesets where id = p_changeset_id for no key update;
  if v_changeset.status = 'revision_requested' then
    -- A repeated click returns the revision run the first one queued.
    select * into v_run from public.ai_runs r
    where r.parent_run_id = v_changeset.run_id and r.origin = 'revision' order by r.created_at desc limit 1;
    if found then
      return v_run;
    end if;
  end if;
  if v_changeset.status <> 'proposed' then
    raise exception 'Changeset % is already %: a revision can only be asked of a proposed changeset', p_changeset_id, replace(v_changeset.status, '_', ' ')
      using errcode = 'PT409', hint = 'Reload the changeset; start a new run to change what was applied.';
  end if;
  if v_proposal.id is not null and v_proposal.status <> 'proposed' then
    raise exception 'The changeset''s approval is already %', v_proposal.status
      using errcode = 'PT409', hint = 'Reload the changeset: someone resolved it meanwhile.';
  end if;
  select a.agent_key into v_agent_key from public.agents a where a.id = v_parent.agent_id and a.enabled;
  if v_agent_key is null then
    raise exception 'The agent that proposed changeset % (@%) is removed or disabled', p_changeset_id, v_changeset.agent_key
      using errcode = 'PT404', hint = 'Enable the agent on the Agents page, or reject the changeset and hand the task to another agent.';
  end if;

  with added as (
    insert into public.changeset_reviews (project_id, changeset_id, kind, path, line, comment, author_user_id)
    select v_changeset.project_id, v_changeset.id, x.kind, x.path, x.line, x.comment, auth.uid()
    from public.read_changeset_reviews(v_changeset, p_reviews) x
    returning *
  )
  select string_agg(coalesce(r.path || coalesce(':' || r.line, '') || ' ', '') || '[' || r.kind || '] ' || r.comment, E'\n' order by r.seq)
  into v_text
  from added r;

  update public.changesets set status = 'revision_requested' where id = v_changeset.id;
  if v_proposal.id is not null then
    perform set_config('mission_control.resolving_proposal', v_proposal.id::text, true);
    update public.action_proposals
    set status = 'rejected', resolved_by = auth.uid(), resolved_at = now(), resolution_comment = left(E'Revision requested:\n' || v_text, 5000)
    where id = v_proposal.id;
    perform set_config('mission_control.resolving_proposal', '', true);
  end if;

  return public.queue_ai_run(
    v_changeset.project_id, v_agent_key, 'implement', 'revision', v_parent.goal,
    'Revise your changeset "' || v_changeset.summary || E'" after review:\n' || v_text,
    coalesce(v_changeset.task_id, v_parent.task_id), v_parent.thread_id, v_parent.id, least(v_parent.iteration + 1, 100),
    p_requested_by => auth.uid()
  );
end;
$$;

-- request_changeset_rollback: from 20261201010300_create_run_operator_rpcs.sql.
create or replace function public.request_changeset_rollback(p_changeset_id uuid)
returns public.changesets
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_changeset public.changesets := public.load_changeset_for_operator(p_changeset_id);
begin
  select * into v_changeset from public.changesets where id = p_changeset_id for no key update;
  if v_changeset.status = 'rolled_back' or (v_changeset.status = 'applied' and v_changeset.rollback_requested_at is not null) then
    return v_changeset;
  end if;
  if v_changeset.status <> 'applied' then
    raise exception 'Only an applied changeset can be rolled back (this one is %)', replace(v_changeset.status, '_', ' ')
      using errcode = 'PT409', hint = 'Nothing of it was written to the workspace.';
  end if;
  update public.changesets
  set rollback_requested_at = now(), rollback_requested_by = auth.uid(), error = null
  where id = p_changeset_id
  returning * into v_changeset;
  insert into public.ai_run_events (project_id, run_id, kind, agent_key, summary, data)
  values (v_changeset.project_id, v_changeset.run_id, 'status', null,
          'Rollback of ' || cardinality(v_changeset.applied_paths) || ' file' || case when cardinality(v_changeset.applied_paths) = 1 then '' else 's' end || ' requested',
          jsonb_build_object('from', 'applied', 'to', 'rollback_requested', 'changeset_id', v_changeset.id));
  return v_changeset;
end;
$$;

-- reroute_chat_message: from 20261201030000_reroute_chat_message.sql.
create or replace function public.reroute_chat_message(p_message_id uuid, p_agent_key text)
returns public.project_chat_messages
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_message public.project_chat_messages;
  v_thread_kind text;
  v_from text;
begin
  -- The row lock serialises two re-routes of one message (a double click, two operators).
  select * into v_message from public.project_chat_messages where id = p_message_id for no key update;
  if not found or not public.has_project_role(v_message.project_id) then
    raise exception 'Message % not found', p_message_id
      using errcode = 'PT404', hint = 'Re-route a message of the Team Room of a project you are a member of.';
  end if;
  if not public.has_project_role(v_message.project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can re-route messages'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  select t.kind into v_thread_kind from public.project_chat_threads t where t.id = v_message.thread_id;
  if v_thread_kind is distinct from 'team_room' or v_message.author_type <> 'user' then
    raise exception 'Only an operator''s message in the Team Room can be re-routed'
      using errcode = '22023', hint = 'A DM already goes to its agent: to ask another agent, message it or mention it with @.';
  end if;
  if v_message.metadata ? 'command' then
    raise exception 'This message is a /% command: it started a run, not a chat reply', v_message.metadata ->> 'command'
      using errcode = '22023', hint = 'Hand the run over with /handoff @agent <note>, or from the task page.';
  end if;
  if p_agent_key is null or p_agent_key !~ '^[a-z][a-z0-9_-]{0,31}$' then
    raise exception 'Re-route the message to an agent by its key (got "%")', p_agent_key
      using errcode = '22023', hint = 'An agent key is lower-case letters, digits, _ or -, such as backend.';
  end if;
  if not exists (
    select 1 from public.agents a where a.project_id = v_message.project_id and a.agent_key = p_agent_key and a.enabled
  ) then
    raise exception 'There is no enabled agent @% in this project', p_agent_key
      using errcode = 'PT404', hint = 'Pick an agent from the roster, or enable it on the Agents page.';
  end if;

  -- Who answers it now: the agent of the last re-route, else its one recipient (a message that
  -- named several agents has no single one to take it from: the new agent is added).
  v_from := coalesce(
    v_message.metadata #>> '{rerouted,to}',
    case when cardinality(v_message.target_agent_keys) = 1 then v_message.target_agent_keys[1] end
  );
  -- Idempotent: the message already goes to that agent.
  if v_from = p_agent_key
     and exists (select 1 from public.chat_delivery_queue d where d.message_id = p_message_id and d.agent_key = p_agent_key) then
    return v_message;
  end if;

  if v_from is not null then
    update public.chat_delivery_queue
    set status = 'failed', completed_at = now(),
        error = 'Re-routed to @' || p_agent_key || ' before @' || v_from || ' started on it'
    where message_id = p_message_id and agent_key = v_from and status = 'queued';
  end if;

  -- One delivery per (message, agent): a re-route back to an agent whose delivery was cancelled
  -- (or failed) queues that delivery again, as a retry would.
  insert into public.chat_delivery_queue (project_id, message_id, agent_key)
  values (v_message.project_id, p_message_id, p_agent_key)
  on conflict (message_id, agent_key) do nothing;
  update public.chat_delivery_queue
  set status = 'queued', attempts = 0, available_at = now(), error = null, claimed_by = null, picked_up_at = null, completed_at = null
  where message_id = p_message_id and agent_key = p_agent_key and status = 'failed';

  update public.project_chat_messages
  set target_agent_keys = case when p_agent_key = any (target_agent_keys) then target_agent_keys else target_agent_keys || p_agent_key end,
      metadata = metadata || jsonb_build_object(
        'rerouted', jsonb_build_object('from', v_from, 'to', p_agent_key, 'by', auth.uid(), 'at', now())
      ),
      status = case when status = 'failed' then 'sent' else status end
  where id = p_message_id
  returning * into v_message;
  return v_message;
end;
$$;

-- resolve_action_proposal: from 20261121110700_create_action_proposal_rpcs.sql.
create or replace function public.resolve_action_proposal(
  p_proposal_id uuid,
  p_decision text,
  p_comment text default null,
  p_params jsonb default null
)
returns public.action_proposals
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_proposal public.action_proposals;
  v_params jsonb;
begin
  if p_decision is null or p_decision not in ('approve', 'reject') then
    raise exception 'Unknown decision "%"', p_decision using errcode = '22023', hint = 'Use approve or reject.';
  end if;
  select * into v_proposal from public.action_proposals where id = p_proposal_id for update;
  if not found or not public.has_project_role(v_proposal.project_id, array['owner', 'operator', 'viewer']) then
    raise exception 'Action proposal % not found', p_proposal_id using errcode = 'PT404';
  end if;
  if not public.has_project_role(v_proposal.project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can approve or reject proposals'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  if p_params is not null and (p_decision <> 'approve' or jsonb_typeof(p_params) <> 'object') then
    raise exception 'Edited params must be a JSON object, and only come with an approval' using errcode = '22023';
  end if;
  if p_decision = 'reject' and coalesce(btrim(p_comment), '') = '' then
    raise exception 'A rejection needs a comment' using errcode = '22023', hint = 'Say what to change: the agent reads it to revise the proposal.';
  end if;

  if v_proposal.status = 'proposed' and v_proposal.expires_at <= now() then
    -- Too late to approve or reject: record that it expired (kept, so no exception) and say so by the status.
    update public.action_proposals set status = 'expired', resolved_at = now() where id = p_proposal_id
    returning * into v_proposal;
    return v_proposal;
  end if;

  if v_proposal.status <> 'proposed' then
    -- A repeated click is a no-op: the same decision (and the same params) returns the row as it is.
    if v_proposal.status = 'expired'
       or (p_decision = 'reject' and v_proposal.status = 'rejected')
       or (p_decision = 'approve' and v_proposal.approved_params_hash is not null
           and (p_params is null or public.action_params_hash(p_params) = v_proposal.approved_params_hash)) then
      return v_proposal;
    end if;
    raise exception 'Action proposal % is already %', p_proposal_id, v_proposal.status
      using errcode = 'PT409', hint = 'Reload: someone else resolved it. To change the action, ask the agent for a revision.';
  end if;

  perform set_config('mission_control.resolving_proposal', p_proposal_id::text, true);
  if p_decision = 'approve' then
    v_params := coalesce(p_params, v_proposal.params);
    update public.action_proposals
    set status = 'approved', params = v_params, approved_params_hash = public.action_params_hash(v_params),
        resolved_by = auth.uid(), resolved_at = now(), resolution_comment = nullif(btrim(p_comment), '')
    where id = p_proposal_id
    returning * into v_proposal;
  else
    update public.action_proposals
    set status = 'rejected', resolved_by = auth.uid(), resolved_at = now(), resolution_comment = btrim(p_comment)
    where id = p_proposal_id
    returning * into v_proposal;
  end if;
  perform set_config('mission_control.resolving_proposal', '', true);
  return v_proposal;
end;
$$;

-- send_chat_message: from 20261201010500_start_runs_from_tasks_and_chat.sql.
create or replace function public.send_chat_message(
  p_project_id uuid,
  p_thread_key text,
  p_content text,
  p_message_id uuid default null,
  p_target_agent_keys text[] default null
)
returns public.project_chat_messages
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_message public.project_chat_messages;
  v_thread_id uuid;
  v_kind text;
  v_agent_key text;
  v_targets text[];
  v_command jsonb := public.parse_run_command(p_content);
  v_name text := v_command ->> 'command';
  v_route jsonb;
  v_metadata jsonb := '{}'::jsonb;
  v_run_agent text;
  v_goal text;
  v_run public.ai_runs;
  v_last public.ai_runs;
  v_from text;
  v_run_id uuid;
  v_cancelled uuid[] := '{}';
begin
  if not public.has_project_role(p_project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can send messages'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  if p_content is null or length(btrim(p_content)) = 0 then
    raise exception 'A message needs some text' using errcode = '22023';
  end if;

  -- The client picks the id, so a resend after a lost response returns the same message.
  if p_message_id is not null then
    select * into v_message from public.project_chat_messages where id = p_message_id;
    if found then
      if v_message.project_id <> p_project_id then
        raise exception 'Message id % belongs to another project', p_message_id using errcode = '23505';
      end if;
      return v_message;
    end if;
  end if;

  if p_thread_key = 'team-room' then
    v_kind := 'team_room';
    if not public.labs_feature_enabled(p_project_id, 'team_room') then
      raise exception 'The Team Room is a labs feature that is off in this project'
        using errcode = '42501', hint = 'Turn it on in Settings -> Labs.';
    end if;
    if v_command is null then
      if p_target_agent_keys is not null and cardinality(p_target_agent_keys) > 0 then
        v_targets := p_target_agent_keys;
      else
        select array_agg(distinct m[1]) into v_targets
        from regexp_matches(p_content, '@([a-z][a-z0-9_-]{0,31})', 'g') as m;
      end if;
      select array_agg(a.agent_key order by a.agent_key) into v_targets
      from public.agents a
      where a.project_id = p_project_id and a.enabled and a.agent_key = any (coalesce(v_targets, '{}'));
      if v_targets is null then
        -- Nobody mentioned: the agent whose capabilities match best answers, else the lead.
        v_route := public.route_agent(p_project_id, p_content);
        if v_route ->> 'agent_key' is not null then
          v_targets := array[v_route ->> 'agent_key'];
          v_metadata := jsonb_build_object('routed_reason', v_route ->> 'reason');
        end if;
      end if;
    end if;
  elsif p_thread_key like 'DM:%' then
    v_kind := 'dm';
    v_agent_key := substr(p_thread_key, 4);
    if not public.labs_feature_enabled(p_project_id, 'dms') then
      raise exception 'Direct messages are a labs feature that is off in this project'
        using errcode = '42501', hint = 'Turn it on in Settings -> Labs.';
    end if;
    if not exists (select 1 from public.agents a where a.project_id = p_project_id and a.agent_key = v_agent_key and a.enabled) then
      raise exception 'There is no enabled agent "%" in this project', v_agent_key
        using errcode = 'PT404', hint = 'Pick an agent from the roster, or enable it on the Agents page.';
    end if;
    v_targets := array[v_agent_key];
  else
    raise exception 'Unknown thread "%"', p_thread_key
      using errcode = '22023', hint = 'Use team-room or DM:<agent_key>.';
  end if;

  if v_command is not null then
    -- A command runs an agent instead of chatting with it: the named agent, else the DM's, else the routed one.
    v_run_agent := coalesce(v_command ->> 'agent_key', v_agent_key);
    if v_run_agent is null and v_name in ('plan', 'implement', 'test') then
      v_route := public.route_agent(p_project_id, coalesce(nullif(v_command ->> 'text', ''), p_content));
      v_run_agent := v_route ->> 'agent_key';
      if v_run_agent is null then
        raise exception 'There is no enabled agent in this project to run /%', v_name
          using errcode = 'PT404', hint = 'Enable an agent on the Agents page.';
      end if;
      v_metadata := jsonb_build_object('routed_reason', v_route ->> 'reason');
    end if;
    if v_run_agent is null and v_name = 'handoff' then
      raise exception 'Name the agent to hand over to: /handoff @agent <note>' using errcode = '22023', hint = 'Say who takes the work over.';
    end if;
    if v_run_agent is not null
       and not exists (select 1 from public.agents a where a.project_id = p_project_id and a.agent_key = v_run_agent and a.enabled) then
      raise exception 'There is no enabled agent @% in this project', v_run_agent
        using errcode = 'PT404', hint = 'Pick an agent from the roster, or enable it on the Agents page.';
    end if;
    if v_name in ('plan', 'implement') and v_command ->> 'text' = '' then
      raise exception 'Say what to %: /% [@agent] <goal>', v_name, v_name using errcode = '22023';
    end if;
    v_targets := case when v_run_agent is null then '{}' else array[v_run_agent] end;
    v_metadata := v_metadata || jsonb_build_object('command', v_name);
  end if;

  insert into public.project_chat_threads (project_id, kind, thread_key, agent_key, title)
  values (p_project_id, v_kind, p_thread_key, v_agent_key, case when v_kind = 'team_room' then 'Team Room' else 'DM with ' || v_agent_key end)
  on conflict (project_id, thread_key) do nothing;
  select t.id into v_thread_id from public.project_chat_threads t where t.project_id = p_project_id and t.thread_key = p_thread_key;

  insert into public.project_chat_messages (id, project_id, thread_id, author_type, author_user_id, target_agent_keys, content, metadata)
  values (coalesce(p_message_id, extensions.gen_random_uuid()), p_project_id, v_thread_id, 'user', auth.uid(), coalesce(v_targets, '{}'), p_content, v_metadata)
  returning * into v_message;

  if v_command is null then
    insert into public.chat_delivery_queue (project_id, message_id, agent_key)
    select p_project_id, v_message.id, t from unnest(coalesce(v_targets, '{}')) as t;
    return v_message;
  end if;

  if v_name in ('plan', 'implement', 'test') then
    v_goal := coalesce(nullif(v_command ->> 'text', ''), 'Run the project''s tests');
    v_run := public.queue_ai_run(p_project_id, v_run_agent, v_name, 'command', v_goal, '', null, v_thread_id,
                                 p_source_message_id => v_message.id, p_requested_by => auth.uid());
  elsif v_name = 'cancel' then
    for v_run_id in
      select r.id from public.ai_runs r
      where r.thread_id = v_thread_id and r.status in ('queued', 'running', 'needs_approval') and (v_run_agent is null or r.agent_key = v_run_agent)
      order by r.created_at
    loop
      perform public.stop_ai_run(v_run_id, 'Cancelled with /cancel in the chat', auth.uid());
      v_cancelled := v_cancelled || v_run_id;
    end loop;
  else
    -- /handoff: the work last started in this thread goes to the named agent, with the note.
    select * into v_last from public.ai_runs r where r.thread_id = v_thread_id order by r.created_at desc limit 1;
    if not found then
      raise exception 'There is no run in this thread to hand over' using errcode = 'PT409',
        hint = 'Start one with /plan or /implement, or hand a task over from its thread.';
    end if;
    if v_last.task_id is not null then
      v_run := public.hand_off_task(v_last.task_id, v_run_agent, v_command ->> 'text', auth.uid());
    else
      v_from := v_last.agent_key;
      for v_run_id in
        select r.id from public.ai_runs r
        where r.thread_id = v_thread_id and r.status in ('queued', 'running', 'needs_approval')
        order by r.created_at
      loop
        perform public.stop_ai_run(v_run_id, 'Handed off to @' || v_run_agent, auth.uid());
        v_cancelled := v_cancelled || v_run_id;
      end loop;
      v_run := public.queue_ai_run(
        p_project_id, v_run_agent, v_last.mode, 'handoff', v_last.goal,
        case when v_command ->> 'text' <> '' then 'Hand-off note from @' || v_from || ': ' || (v_command ->> 'text') else '' end,
        null, v_thread_id,
        p_participants => case when v_from <> v_run_agent then array[v_from, v_run_agent] else array[v_run_agent] end,
        p_source_message_id => v_message.id, p_requested_by => auth.uid()
      );
      insert into public.ai_run_events (project_id, run_id, kind, agent_key, summary, data)
      values (p_project_id, v_run.id, 'handoff', v_run_agent,
              left('Handed off from @' || v_from || ' to @' || v_run_agent || coalesce(': ' || nullif(v_command ->> 'text', ''), ''), 500),
              jsonb_build_object('from', v_from, 'to', v_run_agent, 'note', v_command ->> 'text'));
    end if;
  end if;

  update public.project_chat_messages
  set metadata = metadata || jsonb_strip_nulls(jsonb_build_object('run_id', v_run.id, 'agent_key', v_run_agent,
                                                                  'cancelled_run_ids', case when v_name = 'cancel' then to_jsonb(v_cancelled) end))
  where id = v_message.id
  returning * into v_message;
  return v_message;
end;
$$;

-- start_ai_run: from 20261201010300_create_run_operator_rpcs.sql.
create or replace function public.start_ai_run(
  p_project_id uuid,
  p_agent_key text,
  p_mode text,
  p_goal text,
  p_constraints text default '',
  p_task_id uuid default null,
  p_run_id uuid default null
)
returns public.ai_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_run public.ai_runs;
begin
  if not public.has_project_role(p_project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can start runs'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  -- The client picks the id, so a retry after a lost response returns the same run.
  if p_run_id is not null then
    select * into v_run from public.ai_runs where id = p_run_id;
    if found then
      if v_run.project_id <> p_project_id then
        raise exception 'Run id % belongs to another project', p_run_id using errcode = '23505';
      end if;
      return v_run;
    end if;
  end if;
  if p_mode is null or p_mode not in ('plan', 'implement', 'test') then
    raise exception 'Unknown run mode "%"', p_mode using errcode = '22023', hint = 'Use plan, implement or test.';
  end if;
  if p_goal is null or length(btrim(p_goal)) = 0 then
    raise exception 'A run needs a goal' using errcode = '22023', hint = 'Say what the agent should do.';
  end if;
  if length(btrim(p_goal)) > 20000 or length(coalesce(p_constraints, '')) > 20000 then
    raise exception 'The goal and the constraints are at most 20000 characters each' using errcode = '22023';
  end if;
  if p_task_id is not null and not exists (select 1 from public.tasks t where t.id = p_task_id and t.project_id = p_project_id) then
    raise exception 'Task % is not in this project', p_task_id using errcode = 'PT404', hint = 'Pick a task from this project''s board.';
  end if;
  return public.queue_ai_run(p_project_id, p_agent_key, p_mode, 'runs_page', p_goal, btrim(coalesce(p_constraints, '')), p_task_id,
                             p_run_id => p_run_id, p_requested_by => auth.uid());
end;
$$;
