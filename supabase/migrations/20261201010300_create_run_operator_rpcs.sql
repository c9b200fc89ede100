-- What operators do with runs and changesets, each one transaction: start a run, cancel it, hand a
-- task to another agent, ask for a revision, comment on a changeset, ask for a rollback. Viewers
-- are refused (42501). The internal helpers (queue_ai_run, stop_ai_run, hand_off_task) are shared
-- with the triggers that start runs from tasks and chat, and are not callable through the API.

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
      using errcode = 'P0002', hint = 'Pick an agent from the roster, or enable it on the Agents page.';
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
comment on function public.queue_ai_run(uuid, text, text, text, text, text, uuid, uuid, uuid, integer, text[], uuid, uuid, uuid, uuid) is 'Internal: queues a run for an enabled agent of the project (P0002 otherwise), with max_steps from the project''s run settings. Every path that starts a run goes through it.';
revoke all on function public.queue_ai_run(uuid, text, text, text, text, text, uuid, uuid, uuid, integer, text[], uuid, uuid, uuid, uuid) from public, anon, authenticated;
-- The executor's RPCs run as the service role and queue or stop runs through it.
grant execute on function public.queue_ai_run(uuid, text, text, text, text, text, uuid, uuid, uuid, integer, text[], uuid, uuid, uuid, uuid) to service_role;

create or replace function public.stop_ai_run(p_run_id uuid, p_reason text default null, p_by uuid default null)
returns public.ai_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_run public.ai_runs;
  v_proposal public.action_proposals;
begin
  -- Locks are taken in the order an approval takes them (the proposal, then its run), so a cancel
  -- and an approval of the same run wait for each other instead of deadlocking.
  perform 1 from public.action_proposals p where p.run_id = p_run_id and p.status in ('proposed', 'approved') order by p.id for no key update;
  update public.ai_runs
  set status = 'cancelled', cancel_requested_at = now(), cancelled_by = p_by,
      result_summary = coalesce(left(nullif(btrim(p_reason), ''), 20000), result_summary)
  where id = p_run_id and status in ('queued', 'running', 'needs_approval')
  returning * into v_run;
  if not found then
    select * into v_run from public.ai_runs where id = p_run_id;
    return v_run;
  end if;
  -- Nothing of a cancelled run happens afterwards: its changeset expires, the proposals nobody
  -- decided are withdrawn (expired), and those approved but not yet picked up by the executor fail.
  -- A changeset the executor is applying at this moment is left to its outcome (the files are being written).
  update public.changesets c set status = 'expired'
  where c.run_id = p_run_id and c.status = 'proposed'
    and not exists (select 1 from public.action_proposals p where p.id = c.proposal_id and p.status = 'executing');
  for v_proposal in
    select * from public.action_proposals p where p.run_id = p_run_id and p.status in ('proposed', 'approved') order by p.created_at
  loop
    if v_proposal.status = 'proposed' then
      perform set_config('mission_control.withdrawing_proposal', v_proposal.id::text, true);
      update public.action_proposals
      set status = 'expired', resolved_at = now(), resolution_comment = 'Withdrawn: the run was cancelled'
      where id = v_proposal.id;
    else
      update public.action_proposals
      set status = 'failed', finished_at = now(), error = 'withdrawn: its run was cancelled before it ran'
      where id = v_proposal.id;
    end if;
  end loop;
  perform set_config('mission_control.withdrawing_proposal', '', true);
  return v_run;
end;
$$;
comment on function public.stop_ai_run(uuid, text, uuid) is 'Internal: cancels a queued, running or needs_approval run at once (cancel_requested_at, cancelled_by = p_by, the reason in result_summary) so that nothing of it happens afterwards: its proposed changeset expires (unless the executor is applying it at that moment), its proposals nobody decided are withdrawn (expired), those approved but not yet executing fail ("withdrawn: its run was cancelled before it ran"). A run that is already final is returned unchanged. Callers should not lock the run first: the run''s proposals are locked before it.';
revoke all on function public.stop_ai_run(uuid, text, uuid) from public, anon, authenticated;
-- The executor's RPCs run as the service role and queue or stop runs through it.
grant execute on function public.stop_ai_run(uuid, text, uuid) to service_role;

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
    raise exception 'Task % not found', p_task_id using errcode = 'P0002';
  end if;
  if not exists (select 1 from public.agents a where a.project_id = v_task.project_id and a.agent_key = p_to_agent_key and a.enabled) then
    raise exception 'There is no enabled agent @% in this project', p_to_agent_key
      using errcode = 'P0002', hint = 'Hand the task to an agent from the roster, or enable it on the Agents page.';
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
comment on function public.hand_off_task(uuid, text, text, uuid) is 'Internal: hands a task to another enabled agent: cancels the task''s active runs, reassigns it (without the assignment trigger queuing a second run), queues an implement run (origin handoff) whose constraints carry the note, and records the hand-off {from, to, note} on the new run and in the task thread.';
revoke all on function public.hand_off_task(uuid, text, text, uuid) from public, anon, authenticated;
grant execute on function public.hand_off_task(uuid, text, text, uuid) to service_role;

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
    raise exception 'Task % is not in this project', p_task_id using errcode = 'P0002', hint = 'Pick a task from this project''s board.';
  end if;
  return public.queue_ai_run(p_project_id, p_agent_key, p_mode, 'runs_page', p_goal, btrim(coalesce(p_constraints, '')), p_task_id,
                             p_run_id => p_run_id, p_requested_by => auth.uid());
end;
$$;
comment on function public.start_ai_run(uuid, text, text, text, text, uuid, uuid) is 'Operators and owners: queues a run (origin runs_page) of mode plan / implement / test for an enabled agent, optionally on a task. Idempotent by p_run_id (the client picks it): a retry returns the same run.';
revoke all on function public.start_ai_run(uuid, text, text, text, text, uuid, uuid) from public, anon;
grant execute on function public.start_ai_run(uuid, text, text, text, text, uuid, uuid) to authenticated;

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
    raise exception 'Run % not found', p_run_id using errcode = 'P0002';
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
      using errcode = '55000', hint = 'Reload the run; to undo an applied changeset, roll it back.';
  end if;
  v_run := public.stop_ai_run(p_run_id, null, auth.uid());
  if v_run.status in ('completed', 'failed') then
    -- It finished while the cancel waited for it.
    raise exception 'Run % is already %: there is nothing to cancel', p_run_id, v_run.status
      using errcode = '55000', hint = 'Reload the run; to undo an applied changeset, roll it back.';
  end if;
  return v_run;
end;
$$;
comment on function public.cancel_ai_run(uuid) is 'Operators and owners: cancels a queued, running or needs_approval run at once (the executor notices and aborts; whatever it writes for the run afterwards is refused): its proposed changeset expires, its undecided proposals are withdrawn and its approved ones that did not start fail. Idempotent on a cancelled run; 55000 on a completed or failed one.';
revoke all on function public.cancel_ai_run(uuid) from public, anon;
grant execute on function public.cancel_ai_run(uuid) to authenticated;

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
    raise exception 'Task % not found', p_task_id using errcode = 'P0002';
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
comment on function public.handoff_ai_task(uuid, text, text) is 'Operators and owners: hands a task to another agent with a note: cancels the task''s active runs, reassigns the task, queues an implement run (origin handoff) whose constraints carry the note, and writes a handoff event {from, to, note} on the new run. Returns the new run.';
revoke all on function public.handoff_ai_task(uuid, text, text) from public, anon;
grant execute on function public.handoff_ai_task(uuid, text, text) to authenticated;

create or replace function public.read_changeset_reviews(p_changeset public.changesets, p_reviews jsonb)
returns table (kind text, path text, line integer, comment text)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_item jsonb;
  v_index integer := 0;
  v_line numeric;
begin
  if jsonb_typeof(p_reviews) is distinct from 'array' or jsonb_array_length(p_reviews) = 0 then
    raise exception 'Reviews must be a JSON array of at least one {kind, comment, path?, line?}' using errcode = '22023';
  end if;
  if jsonb_array_length(p_reviews) > 50 then
    raise exception 'At most 50 review comments at a time (got %)', jsonb_array_length(p_reviews) using errcode = '22023';
  end if;
  for v_item in select e from jsonb_array_elements(p_reviews) e loop
    v_index := v_index + 1;
    if jsonb_typeof(v_item) is distinct from 'object' then
      raise exception 'Review % is not an object', v_index using errcode = '22023';
    end if;
    kind := v_item ->> 'kind';
    if kind is null or kind not in ('revise', 'question', 'nit', 'block') then
      raise exception 'Review %: unknown kind "%"', v_index, kind using errcode = '22023', hint = 'Use revise, question, nit or block.';
    end if;
    comment := btrim(coalesce(v_item ->> 'comment', ''));
    if length(comment) = 0 or length(comment) > 5000 then
      raise exception 'Review %: write a comment of at most 5000 characters', v_index using errcode = '22023';
    end if;
    path := nullif(v_item ->> 'path', '');
    if path is not null and not exists (select 1 from public.changeset_files f where f.changeset_id = p_changeset.id and f.path = read_changeset_reviews.path) then
      raise exception 'Review %: % is not a file of this changeset', v_index, path
        using errcode = '22023', hint = 'Comment on one of the changeset''s files, or leave the path out to comment on the whole changeset.';
    end if;
    line := null;
    if jsonb_typeof(v_item -> 'line') = 'number' then
      v_line := (v_item ->> 'line')::numeric;
      if v_line <> trunc(v_line) or v_line < 1 or v_line > 10000000 then
        raise exception 'Review %: a line is a whole number from 1', v_index using errcode = '22023';
      end if;
      line := v_line::integer;
    elsif v_item ? 'line' and jsonb_typeof(v_item -> 'line') <> 'null' then
      raise exception 'Review %: a line is a whole number from 1', v_index using errcode = '22023';
    end if;
    if line is not null and path is null then
      raise exception 'Review %: a line comment needs the path of its file', v_index using errcode = '22023';
    end if;
    return next;
  end loop;
end;
$$;
comment on function public.read_changeset_reviews(public.changesets, jsonb) is 'Internal: validates review comments (an array of ZChangesetReviewInput: kind, comment, path of one of the changeset''s files, line) and returns them as rows; 22023 naming the comment that is wrong.';
revoke all on function public.read_changeset_reviews(public.changesets, jsonb) from public, anon, authenticated, service_role;

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
    raise exception 'Changeset % not found', p_changeset_id using errcode = 'P0002';
  end if;
  if not public.has_project_role(v_changeset.project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can review changesets'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  return v_changeset;
end;
$$;
comment on function public.load_changeset_for_operator(uuid) is 'Internal: reads a changeset for an operator''s review RPC: P0002 when it does not exist or the caller is not a member, 42501 for viewers. Takes no lock: callers lock in their own order.';
revoke all on function public.load_changeset_for_operator(uuid) from public, anon, authenticated, service_role;

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
      using errcode = '55000', hint = 'Reload the changeset; start a new run to change what was applied.';
  end if;
  if v_proposal.id is not null and v_proposal.status <> 'proposed' then
    raise exception 'The changeset''s approval is already %', v_proposal.status
      using errcode = '55000', hint = 'Reload the changeset: someone resolved it meanwhile.';
  end if;
  select a.agent_key into v_agent_key from public.agents a where a.id = v_parent.agent_id and a.enabled;
  if v_agent_key is null then
    raise exception 'The agent that proposed changeset % (@%) is removed or disabled', p_changeset_id, v_changeset.agent_key
      using errcode = 'P0002', hint = 'Enable the agent on the Agents page, or reject the changeset and hand the task to another agent.';
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
comment on function public.request_changeset_revision(uuid, jsonb) is 'Operators and owners: review comments (a JSON array of ZChangesetReviewInput) on a proposed changeset send it back to its agent: the reviews are stored, the changeset becomes revision_requested, its proposal is rejected with the comments, and an implement run (origin revision, parent = the changeset''s run, iteration + 1, same task) is queued with the comments (path:line) as constraints. Returns that run; idempotent.';
revoke all on function public.request_changeset_revision(uuid, jsonb) from public, anon;
grant execute on function public.request_changeset_revision(uuid, jsonb) to authenticated;

create or replace function public.add_changeset_review(
  p_changeset_id uuid,
  p_kind text,
  p_comment text,
  p_path text default null,
  p_line integer default null
)
returns public.changeset_reviews
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_changeset public.changesets := public.load_changeset_for_operator(p_changeset_id);
  v_review public.changeset_reviews;
begin
  insert into public.changeset_reviews (project_id, changeset_id, kind, path, line, comment, author_user_id)
  select v_changeset.project_id, v_changeset.id, x.kind, x.path, x.line, x.comment, auth.uid()
  from public.read_changeset_reviews(v_changeset, jsonb_build_array(
    jsonb_build_object('kind', p_kind, 'comment', p_comment, 'path', p_path, 'line', p_line))) x
  returning * into v_review;
  return v_review;
end;
$$;
comment on function public.add_changeset_review(uuid, text, text, text, integer) is 'Operators and owners: adds a review comment (revise, question, nit or block) on a changeset, one of its files or a line, without resolving anything.';
revoke all on function public.add_changeset_review(uuid, text, text, text, integer) from public, anon;
grant execute on function public.add_changeset_review(uuid, text, text, text, integer) to authenticated;

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
      using errcode = '55000', hint = 'Nothing of it was written to the workspace.';
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
comment on function public.request_changeset_rollback(uuid) is 'Operators and owners: asks the executor to restore the previous contents of an applied changeset''s files (rollback_requested_at / by; the rollback worker does it). Idempotent; 55000 for a changeset that was not applied.';
revoke all on function public.request_changeset_rollback(uuid) from public, anon;
grant execute on function public.request_changeset_rollback(uuid) to authenticated;
