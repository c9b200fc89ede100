-- A run's proposals move the run on. Approving an apply_changeset proposal records each file's
-- decision; executing it applies the changeset, moves the task to review and queues the test run
-- when the project has a test command; failing, rejecting or expiring it closes the changeset.
-- A run waiting for approval completes when none of its proposals is open any more. Proposals of
-- runs do not wake their agent with a chat message (a revision is a new run), and cancelling a run
-- withdraws the proposals nobody decided yet.

create or replace function public.check_action_proposal_update() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_resolving boolean := coalesce(current_setting('mission_control.resolving_proposal', true), '') = new.id::text;
  -- stop_ai_run withdraws the open proposals of a cancelled run before they expire.
  v_withdrawing boolean := coalesce(current_setting('mission_control.withdrawing_proposal', true), '') = new.id::text;
  v_allowed boolean;
begin
  if current_user in ('anon', 'authenticated') then
    raise exception 'Action proposals cannot be changed directly'
      using errcode = '42501', hint = 'Approve or reject through resolve_action_proposal(); the executor records the outcome.';
  end if;
  if new.id <> old.id or new.project_id <> old.project_id or new.action_type <> old.action_type
     or new.proposed_by_agent_key <> old.proposed_by_agent_key or new.created_at <> old.created_at
     or new.expires_at <> old.expires_at or new.risk <> old.risk or new.reversibility <> old.reversibility
     or new.blast_radius <> old.blast_radius or new.rollback_plan <> old.rollback_plan or new.summary <> old.summary
     or (new.task_id is distinct from old.task_id and new.task_id is not null)
     or (new.thread_id is distinct from old.thread_id and new.thread_id is not null)
     or (new.revision_of is distinct from old.revision_of and new.revision_of is not null)
     or (new.run_id is distinct from old.run_id and new.run_id is not null) then
    raise exception 'Action proposal % is immutable apart from its status and outcome', old.id
      using errcode = '23514', hint = 'Propose a revision (revision_of) instead of changing a proposal.';
  end if;
  if new.params is distinct from old.params and not (old.status = 'proposed' and new.status = 'approved') then
    raise exception 'The params of action proposal % can only change in the approval that is bound to them', old.id
      using errcode = '23514', hint = 'Use resolve_action_proposal(id, ''approve'', comment, edited params).';
  end if;
  new.params_hash := public.action_params_hash(new.params);

  v_allowed := case
    when old.status = new.status then
      new.approved_params_hash is not distinct from old.approved_params_hash
      and new.resolved_by is not distinct from old.resolved_by and new.resolved_at is not distinct from old.resolved_at
      and new.resolution_comment is not distinct from old.resolution_comment and new.claimed_by is not distinct from old.claimed_by
      and new.execution_started_at is not distinct from old.execution_started_at and new.finished_at is not distinct from old.finished_at
      and new.execution_result is not distinct from old.execution_result and new.error is not distinct from old.error
    when old.status = 'proposed' and new.status = 'approved' then
      v_resolving and new.expires_at > now() and new.approved_params_hash = new.params_hash and new.claimed_by is null
    when old.status = 'proposed' and new.status = 'rejected' then
      v_resolving and new.approved_params_hash is null and new.claimed_by is null
    when old.status = 'proposed' and new.status = 'expired' then
      (new.expires_at <= now() or (v_withdrawing and new.run_id is not null)) and new.approved_params_hash is null and new.claimed_by is null
    when old.status = 'approved' and new.status = 'executing' then
      new.approved_params_hash = old.approved_params_hash and new.approved_params_hash = new.params_hash
      and new.resolved_by is not distinct from old.resolved_by and new.resolved_at = old.resolved_at
    when old.status = 'approved' and new.status = 'failed' then
      new.approved_params_hash = old.approved_params_hash and new.resolved_by is not distinct from old.resolved_by
    when old.status = 'executing' and new.status in ('executed', 'failed') then
      new.approved_params_hash = old.approved_params_hash and new.claimed_by = old.claimed_by
      and new.execution_started_at = old.execution_started_at and new.resolved_by is not distinct from old.resolved_by
    else false
  end;
  if not coalesce(v_allowed, false) then
    raise exception 'action proposal % cannot go from % to % this way', old.id, old.status, new.status
      using errcode = '23514',
            hint = 'Proposals move proposed -> approved | rejected | expired, approved -> executing -> executed | failed. Operators resolve through resolve_action_proposal() before expiry; only the executor claims and finishes, with the approved params.';
  end if;
  return new;
end;
$$;
comment on function public.check_action_proposal_update() is 'Trigger on action_proposals: enforces the state machine for every role (signed-in users may not update at all; approve/reject only inside resolve_action_proposal(); expired only past expires_at, or when stop_ai_run withdraws a cancelled run''s proposal; an expired proposal cannot be approved; executing needs the params to still hash to approved_params_hash), freezes the proposal itself (its run included) and its params outside the approval, and recomputes params_hash.';

create or replace function public.wake_proposing_agent() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_agent text := new.proposed_by_agent_key;
  v_kind text := case when new.task_id is not null then 'task' else 'dm' end;
  v_thread_key text := case when new.task_id is not null then 'task:' || new.task_id else 'DM:' || new.proposed_by_agent_key end;
  v_thread_id uuid;
  v_message_id uuid;
  v_quote text;
  v_text text;
begin
  -- A run's proposal moves the run on instead (follow_run_proposal): a revision is a new run.
  if new.run_id is not null then
    return null;
  end if;
  -- Only enabled agents of the project can be woken; a removed agent's outcome stays in the feed.
  if not exists (select 1 from public.agents a where a.project_id = new.project_id and a.agent_key = v_agent and a.enabled) then
    return null;
  end if;

  insert into public.project_chat_threads (project_id, kind, thread_key, agent_key, title)
  values (
    new.project_id, v_kind, v_thread_key, case when v_kind = 'dm' then v_agent end,
    case when v_kind = 'dm' then 'DM with ' || v_agent
         else coalesce((select left(t.title, 200) from public.tasks t where t.id = new.task_id), 'Task') end
  )
  on conflict (project_id, thread_key) do nothing;
  select t.id into v_thread_id from public.project_chat_threads t where t.project_id = new.project_id and t.thread_key = v_thread_key;

  -- The proposal as the agent needs it to revise: canonical JSON on one line (jsonb::text).
  v_quote := jsonb_strip_nulls(jsonb_build_object(
    'proposal_id', new.id, 'action_type', new.action_type, 'params', new.params, 'status', new.status,
    'comment', new.resolution_comment, 'error', new.error, 'result', new.execution_result))::text;
  if length(v_quote) > 16000 then
    v_quote := jsonb_build_object('proposal_id', new.id, 'action_type', new.action_type, 'status', new.status,
      'comment', new.resolution_comment, 'error', new.error, 'note', 'params too long to quote')::text;
  end if;

  v_text := 'Proposal ' || new.id || ' (' || new.action_type || ') ' || case new.status
      when 'executed' then 'was approved and executed.'
      when 'rejected' then 'was rejected by an operator.' || coalesce(E'\nComment: ' || nullif(btrim(new.resolution_comment), ''), '')
        || E'\nRevise it to address the comment and reply with exactly one fenced proposal block (```proposal with JSON: action_type, params, summary, risk, reversibility, rollback_plan), or say why it should not be done.'
      when 'expired' then 'expired without a decision and was not run. Propose it again if it is still needed.'
      else 'failed: ' || coalesce(new.error, 'no reason given') || '.'
        || case when new.error like 'outcome unknown%' then ' Check its effect before proposing it again.' else '' end
    end
    || E'\n```json\n' || v_quote || E'\n```';

  insert into public.project_chat_messages (project_id, thread_id, author_type, target_agent_keys, message_type, content, metadata)
  values (
    new.project_id, v_thread_id, 'system', array[v_agent], 'system', left(v_text, 20000),
    jsonb_strip_nulls(jsonb_build_object('kind', 'proposal_outcome', 'proposal_id', new.id, 'status', new.status,
                                         'action_type', new.action_type, 'task_id', new.task_id))
  )
  returning id into v_message_id;

  insert into public.chat_delivery_queue (project_id, message_id, agent_key)
  values (new.project_id, v_message_id, v_agent);
  return null;
end;
$$;
comment on function public.wake_proposing_agent() is 'Trigger on action_proposals: when a proposal ends (executed, rejected, expired, failed), posts a system message describing the outcome (with the proposal as JSON) to the proposing agent in the task thread, else its DM thread, and queues its delivery, so the agent is woken and can revise. Proposals made by a run (run_id) are skipped: follow_run_proposal moves their run on.';

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
          using errcode = '55000', hint = 'Its run was cancelled or a revision was asked for: reload the changeset.';
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
comment on function public.follow_run_proposal() is 'Trigger on action_proposals of a run (run_id): an approved apply_changeset records each file''s decision (its params must name files of the changeset, 22023 otherwise; a changeset that is no longer proposed cannot be approved, 55000); executed applies the changeset (applied_paths from execution_result.paths), moves the task to review and, when run_settings.test_command is set, queues a test run (origin test_after_apply, parent = the run, same iteration, agent and task); failed, rejected (unless a revision was requested) and expired close the changeset. A needs_approval run completes when none of its proposals is proposed, approved or executing.';
revoke all on function public.follow_run_proposal() from public, anon, authenticated;

create trigger action_proposals_follow_run after update on public.action_proposals
  for each row when (old.status is distinct from new.status and new.run_id is not null)
  execute function public.follow_run_proposal();
