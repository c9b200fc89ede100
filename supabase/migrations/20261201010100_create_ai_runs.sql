-- Runs: one piece of agent work (plan, implement or test) with its live timeline. The state
-- machine is enforced here for every role, service role included: queued -> running | cancelled |
-- failed; running -> needs_approval | completed | failed | cancelled, or back to queued when its
-- executor's lease expired (fewer than 3 attempts); needs_approval -> running | completed | failed
-- | cancelled; completed, failed and cancelled are final. Members read; every write is an RPC.

-- How a project's runs work (project_settings key `runs`, ZRunSettings in shared).
create or replace function public.is_run_settings(doc jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select jsonb_typeof(doc) = 'object'
    and not exists (
      select 1 from jsonb_object_keys(doc) as k(key)
      where k.key not in ('test_command', 'test_timeout_seconds', 'max_iterations', 'max_steps')
    )
    and case when doc ? 'test_command' then jsonb_typeof(doc -> 'test_command') = 'string' and length(doc ->> 'test_command') <= 500 else true end
    and not exists (
      select 1
      from (values ('test_timeout_seconds', 5, 3600), ('max_iterations', 1, 10), ('max_steps', 1, 50)) as r(key, low, high)
      where doc ? r.key
        and case when jsonb_typeof(doc -> r.key) <> 'number' then true
                 else (doc ->> r.key)::numeric <> trunc((doc ->> r.key)::numeric) or (doc ->> r.key)::numeric not between r.low and r.high end
    )
$$;
comment on function public.is_run_settings(jsonb) is 'True when the document has the shape of project_settings.runs (ZRunSettings): only test_command (a string of at most 500 characters), test_timeout_seconds (5..3600), max_iterations (1..10) and max_steps (1..50), each optional, numbers whole.';
revoke all on function public.is_run_settings(jsonb) from public, anon;
grant execute on function public.is_run_settings(jsonb) to authenticated, service_role;

alter table public.project_settings
  add constraint runs_settings_are_valid check (key <> 'runs' or public.is_run_settings(value));
comment on table public.project_settings is 'Project settings as key -> jsonb: labs_features (feature flags), team_room (posting limits), agent_defaults (the model settings every agent inherits), runs (test command, test timeout, max iterations and max steps of runs).';

create or replace function public.ai_run_settings(p_project_id uuid) returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'test_command', coalesce(btrim(s.value ->> 'test_command'), ''),
    'test_timeout_seconds', coalesce((s.value ->> 'test_timeout_seconds')::integer, 600),
    'max_iterations', coalesce((s.value ->> 'max_iterations')::integer, 3),
    'max_steps', coalesce((s.value ->> 'max_steps')::integer, 12)
  )
  from (select 1) as one
  left join public.project_settings s on s.project_id = p_project_id and s.key = 'runs'
$$;
comment on function public.ai_run_settings(uuid) is 'The project''s run settings (project_settings.runs) with the defaults of ZRunSettings applied: {test_command, test_timeout_seconds, max_iterations, max_steps}. Runs with the caller''s rights (members read their own project''s settings).';
revoke all on function public.ai_run_settings(uuid) from public, anon;
grant execute on function public.ai_run_settings(uuid) to authenticated, service_role;

create or replace function public.ai_run_max_attempts() returns integer
language sql
immutable
set search_path = ''
as $$
  select 3
$$;
comment on function public.ai_run_max_attempts() is 'How many times a run may be claimed: after its executor stopped this many times (lease expired) the run fails instead of being queued again.';
revoke all on function public.ai_run_max_attempts() from public, anon;
grant execute on function public.ai_run_max_attempts() to authenticated, service_role;

create table public.ai_runs (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  agent_id uuid,
  agent_key text not null check (agent_key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  mode text not null check (mode in ('plan', 'implement', 'test')),
  status text not null default 'queued' check (status in ('queued', 'running', 'needs_approval', 'completed', 'failed', 'cancelled')),
  origin text not null check (origin in ('assignment', 'mention', 'comment', 'command', 'dm', 'runs_page', 'revision', 'handoff', 'test_after_apply')),
  goal text not null check (length(btrim(goal)) between 1 and 20000),
  constraints text not null default '' check (length(constraints) <= 20000),
  task_id uuid,
  thread_id uuid references public.project_chat_threads (id) on delete set null,
  parent_run_id uuid references public.ai_runs (id) on delete set null,
  iteration integer not null default 1 check (iteration between 1 and 100),
  participants text[] not null default '{}' check (cardinality(participants) between 1 and 20 and array_position(participants, null) is null),
  settings jsonb not null default '{}'::jsonb check (jsonb_typeof(settings) = 'object'),
  step_count integer not null default 0 check (step_count >= 0),
  max_steps integer not null default 12 check (max_steps between 1 and 50),
  current_step text not null default '' check (length(current_step) <= 300),
  input_tokens bigint not null default 0 check (input_tokens >= 0),
  output_tokens bigint not null default 0 check (output_tokens >= 0),
  cost_usd numeric(14, 6) check (cost_usd >= 0),
  requested_by uuid references auth.users (id) on delete set null default auth.uid(),
  claimed_by text check (length(claimed_by) between 1 and 200),
  attempts integer not null default 0 check (attempts >= 0),
  cancel_requested_at timestamptz,
  result_summary text check (length(result_summary) <= 20000),
  error text check (length(error) <= 5000),
  created_at timestamptz not null default now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  lease_expires_at timestamptz,
  heartbeat_at timestamptz,
  cancelled_by uuid references auth.users (id) on delete set null,
  source_message_id uuid references public.project_chat_messages (id) on delete set null,
  -- No foreign key: task_events is append-only (a reference would make it truncatable only with
  -- ai_runs), and the comment that started a run goes only with its task.
  source_task_event_id uuid,
  -- The target of the composite foreign keys that keep events and changesets in the run's project.
  unique (id, project_id),
  foreign key (agent_id, project_id) references public.agents (id, project_id) on delete set null (agent_id),
  foreign key (task_id, project_id) references public.tasks (id, project_id) on delete set null (task_id),
  constraint ai_runs_final_is_stamped check ((status in ('completed', 'failed', 'cancelled')) = (finished_at is not null)),
  constraint ai_runs_running_is_claimed check (status <> 'running' or (claimed_by is not null and lease_expires_at is not null and started_at is not null)),
  constraint ai_runs_failure_has_reason check (status <> 'failed' or error is not null),
  constraint ai_runs_cancel_is_stamped check (status <> 'cancelled' or cancel_requested_at is not null)
);
comment on table public.ai_runs is 'One piece of agent work: mode plan / implement / test, what started it (origin), goal and constraints, the task and chat thread it belongs to, the agents taking part, the effective settings, steps, token usage and cost. State machine (enforced by trigger for every role): queued -> running | cancelled | failed; running -> needs_approval | completed | failed | cancelled, or queued when its lease expired (fewer than ai_run_max_attempts() claims); needs_approval -> running | completed | failed | cancelled. Members read; operators write through start_ai_run / cancel_ai_run / handoff_ai_task, the executor through claim_ai_runs and the other executor RPCs; task assignments, task comments and chat commands queue runs by trigger.';
comment on column public.ai_runs.agent_key is 'The agent''s key when the run was queued (kept for display after a rename or removal; agent_id is the live link).';
comment on column public.ai_runs.participants is 'The agents taking part, in the order they joined: the run''s agent, or for a hand-off the agent that handed over and then the run''s agent.';
comment on column public.ai_runs.settings is 'The effective model settings the executor resolved for the run (with their sources).';
comment on column public.ai_runs.iteration is 'Which round of apply -> test -> fix this run is (1 for the first implement run; a revision adds one; a test run has its implement run''s).';
comment on column public.ai_runs.source_task_event_id is 'The task thread comment (task_events) that started the run, checked to be in the run''s project when the run is queued.';
comment on column public.ai_runs.source_message_id is 'The chat message (a slash command) that started the run.';
comment on column public.ai_runs.lease_expires_at is 'While running: when the claim lapses unless the executor renews it (heartbeat_ai_runs); requeue_expired_ai_runs queues it again after that.';
comment on column public.ai_runs.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.ai_runs enable row level security;
revoke all on public.ai_runs from anon;
revoke insert, update, delete, truncate on public.ai_runs from authenticated;
create index ai_runs_project_seq_idx on public.ai_runs (project_id, seq desc);
create index ai_runs_project_created_idx on public.ai_runs (project_id, created_at desc);
create index ai_runs_claimable_idx on public.ai_runs (created_at) where status = 'queued';
create index ai_runs_leased_idx on public.ai_runs (lease_expires_at) where status = 'running';
create index ai_runs_task_idx on public.ai_runs (task_id, created_at) where task_id is not null;
create index ai_runs_thread_idx on public.ai_runs (thread_id, created_at) where thread_id is not null;
create index ai_runs_parent_idx on public.ai_runs (parent_run_id) where parent_run_id is not null;
create index ai_runs_agent_id_idx on public.ai_runs (agent_id) where agent_id is not null;
create index ai_runs_source_message_idx on public.ai_runs (source_message_id) where source_message_id is not null;

create trigger ai_runs_stamp_live_row before insert or update on public.ai_runs
  for each row execute function public.stamp_live_row();
create trigger ai_runs_touch_updated_at before update on public.ai_runs
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's runs"
  on public.ai_runs for select to authenticated
  using ((select public.has_project_role(project_id)));

create or replace function public.check_ai_run_insert() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_agent public.agents;
begin
  if new.status <> 'queued' or new.claimed_by is not null or new.attempts <> 0 or new.started_at is not null
     or new.finished_at is not null or new.cancel_requested_at is not null or new.lease_expires_at is not null
     or new.cancelled_by is not null or new.result_summary is not null or new.error is not null then
    raise exception 'A new run starts queued, unclaimed and unfinished'
      using errcode = '23514', hint = 'Queue the run (start_ai_run); the executor claims it with claim_ai_runs.';
  end if;
  if new.agent_id is null then
    select * into v_agent from public.agents a where a.project_id = new.project_id and a.agent_key = new.agent_key;
  else
    select * into v_agent from public.agents a where a.id = new.agent_id and a.project_id = new.project_id;
  end if;
  if not found then
    raise exception 'There is no agent @% in project %', new.agent_key, new.project_id
      using errcode = '23503', hint = 'Pick an agent from the project''s roster.';
  end if;
  if v_agent.agent_key <> new.agent_key then
    raise exception 'Agent % is @%, not @%', v_agent.id, v_agent.agent_key, new.agent_key using errcode = '23514';
  end if;
  new.agent_id := v_agent.id;
  if cardinality(new.participants) = 0 then
    new.participants := array[new.agent_key];
  end if;
  if new.thread_id is not null and not exists (select 1 from public.project_chat_threads t where t.id = new.thread_id and t.project_id = new.project_id) then
    raise exception 'Chat thread % is not in project %', new.thread_id, new.project_id using errcode = '23503';
  end if;
  if new.parent_run_id is not null and not exists (select 1 from public.ai_runs r where r.id = new.parent_run_id and r.project_id = new.project_id) then
    raise exception 'Run % (the parent) is not in project %', new.parent_run_id, new.project_id using errcode = '23503';
  end if;
  if new.source_message_id is not null and not exists (select 1 from public.project_chat_messages m where m.id = new.source_message_id and m.project_id = new.project_id) then
    raise exception 'Chat message % is not in project %', new.source_message_id, new.project_id using errcode = '23503';
  end if;
  if new.source_task_event_id is not null and not exists (select 1 from public.task_events e where e.id = new.source_task_event_id and e.project_id = new.project_id) then
    raise exception 'Task event % is not in project %', new.source_task_event_id, new.project_id using errcode = '23503';
  end if;
  return new;
end;
$$;
comment on function public.check_ai_run_insert() is 'Trigger on ai_runs: a new run is queued, unclaimed and unfinished; its agent (by agent_id, else by agent_key), chat thread, parent run and source message or task event are in the same project. Fills agent_id, and participants with the run''s agent.';
revoke all on function public.check_ai_run_insert() from public, anon, authenticated;

create trigger ai_runs_check_insert before insert on public.ai_runs
  for each row execute function public.check_ai_run_insert();

create or replace function public.check_ai_run_update() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  -- Columns a foreign key's action may clear (removing the agent, task, thread, message, user...).
  v_clearable constant text[] := array['agent_id', 'task_id', 'thread_id', 'parent_run_id', 'source_message_id', 'source_task_event_id',
                                        'requested_by', 'cancelled_by', 'seq', 'updated_at'];
  v_final constant text[] := array['completed', 'failed', 'cancelled'];
  v_allowed boolean;
begin
  if current_user in ('anon', 'authenticated') then
    raise exception 'Runs cannot be changed directly'
      using errcode = '42501', hint = 'Cancel a run with cancel_ai_run(); the executor records its progress.';
  end if;
  if new.id <> old.id or new.project_id <> old.project_id or new.created_at <> old.created_at or new.mode <> old.mode
     or new.origin <> old.origin or new.agent_key <> old.agent_key or new.goal <> old.goal or new.constraints <> old.constraints
     or new.iteration <> old.iteration
     or (new.agent_id is distinct from old.agent_id and new.agent_id is not null)
     or (new.task_id is distinct from old.task_id and new.task_id is not null)
     or (new.thread_id is distinct from old.thread_id and new.thread_id is not null)
     or (new.parent_run_id is distinct from old.parent_run_id and new.parent_run_id is not null)
     or (new.source_message_id is distinct from old.source_message_id and new.source_message_id is not null)
     or (new.source_task_event_id is distinct from old.source_task_event_id and new.source_task_event_id is not null)
     or (new.requested_by is distinct from old.requested_by and new.requested_by is not null) then
    raise exception 'Run % keeps its agent, mode, origin, goal, constraints, task and thread', old.id
      using errcode = '23514', hint = 'Start another run (start_ai_run) instead of changing this one.';
  end if;

  if old.status = new.status then
    -- A final run is history: only the references a foreign key clears may change.
    v_allowed := not (old.status = any (v_final)) or (to_jsonb(new) - v_clearable) = (to_jsonb(old) - v_clearable);
  else
    v_allowed := case old.status
      when 'queued' then new.status in ('running', 'cancelled', 'failed')
      when 'running' then new.status in ('needs_approval', 'completed', 'failed', 'cancelled')
        -- Back to the queue only when the executor's lease lapsed, while claims remain.
        or (new.status = 'queued' and old.lease_expires_at <= now() and old.attempts < public.ai_run_max_attempts())
      when 'needs_approval' then new.status in ('running', 'completed', 'failed', 'cancelled')
      else false
    end;
  end if;
  if not coalesce(v_allowed, false) then
    raise exception 'run % cannot go from % to %', old.id, old.status, new.status
      using errcode = '23514',
            hint = 'Runs move queued -> running -> needs_approval -> completed | failed | cancelled; a running run goes back to queued only when its lease expired. Completed, failed and cancelled runs are final.';
  end if;

  if new.status <> old.status then
    if new.status = 'running' then
      new.started_at := coalesce(old.started_at, now());
    elsif old.status = 'running' then
      new.lease_expires_at := null;
    end if;
    if new.status = 'queued' then
      new.claimed_by := null;
      new.heartbeat_at := null;
    end if;
    if new.status = any (v_final) then
      new.finished_at := coalesce(new.finished_at, now());
    end if;
    if new.status = 'cancelled' then
      new.cancel_requested_at := coalesce(new.cancel_requested_at, now());
    end if;
  end if;
  return new;
end;
$$;
comment on function public.check_ai_run_update() is 'Trigger on ai_runs: enforces the run state machine for every role (signed-in users may not update at all), keeps a run''s agent, mode, origin, goal, constraints, task and thread (foreign keys may only clear them), freezes final runs, and stamps started_at (first running), finished_at (entering a final state) and cancel_requested_at; leaving running drops the lease, going back to queued drops the claim.';
revoke all on function public.check_ai_run_update() from public, anon, authenticated;

create trigger ai_runs_check_update before update on public.ai_runs
  for each row execute function public.check_ai_run_update();

create table public.ai_run_events (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  run_id uuid not null,
  kind text not null check (kind in ('status', 'message', 'read_file', 'tool_call', 'propose_changeset', 'test_start', 'test_result', 'needs_approval', 'handoff', 'error')),
  agent_key text check (agent_key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  summary text not null check (length(btrim(summary)) >= 1 and length(summary) <= 500),
  data jsonb not null default '{}'::jsonb check (jsonb_typeof(data) = 'object'),
  created_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  foreign key (run_id, project_id) references public.ai_runs (id, project_id) on delete cascade
);
comment on table public.ai_run_events is 'A run''s live timeline, append-only for every role: a short human sentence (summary) and structured data per kind. status {from, to}, message {text}, read_file {path, bytes, lines}, tool_call {tool, arguments, ok, result_preview, proposal_id?}, propose_changeset {changeset_id, proposal_id, files, additions, deletions}, test_start {command}, test_result {command, exit_code, passed, duration_ms, timed_out, output_tail}, needs_approval {proposal_id}, handoff {from, to, note}, error {message}. Status events are written by trigger; the executor appends the rest through its RPCs.';
comment on column public.ai_run_events.agent_key is 'The agent the event is about (the run''s agent, or another participant after a hand-off); null for the system.';
comment on column public.ai_run_events.seq is 'Live sequence (public.live_seq), taken on insert.';
alter table public.ai_run_events enable row level security;
revoke all on public.ai_run_events from anon;
revoke insert, update, delete, truncate on public.ai_run_events from authenticated;
create index ai_run_events_run_idx on public.ai_run_events (run_id, created_at, seq);
create index ai_run_events_project_seq_idx on public.ai_run_events (project_id, seq desc);

create trigger ai_run_events_stamp_live_row before insert on public.ai_run_events
  for each row execute function public.stamp_live_row();
create trigger ai_run_events_refuse_update_delete before update or delete on public.ai_run_events
  for each row execute function public.refuse_append_only_change();
create trigger ai_run_events_refuse_truncate before truncate on public.ai_run_events
  for each statement execute function public.refuse_append_only_change();

create policy "Members can read their project's run timelines"
  on public.ai_run_events for select to authenticated
  using ((select public.has_project_role(project_id)));

create or replace function public.describe_run_origin(p_run public.ai_runs) returns text
language sql
immutable
set search_path = ''
as $$
  select case p_run.origin
    when 'assignment' then 'the task was assigned to @' || p_run.agent_key
    when 'mention' then '@' || p_run.agent_key || ' was mentioned in the task thread'
    when 'comment' then 'a comment in the task thread'
    when 'command' then 'the /' || p_run.mode || ' command'
    when 'dm' then 'a direct message'
    when 'runs_page' then 'started by an operator'
    when 'revision' then 'a revision (iteration ' || p_run.iteration || ')'
    when 'handoff' then 'a hand-off to @' || p_run.agent_key
    else 'testing the applied changeset'
  end
$$;
comment on function public.describe_run_origin(public.ai_runs) is 'What started a run, in words ("the task was assigned to @backend").';
revoke all on function public.describe_run_origin(public.ai_runs) from public, anon, authenticated;

create or replace function public.record_ai_run_status() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_from text := case when tg_op = 'UPDATE' then old.status end;
  v_summary text;
  v_data jsonb := jsonb_build_object('from', v_from, 'to', new.status);
begin
  v_summary := case
    when tg_op = 'INSERT' then 'Queued: ' || public.describe_run_origin(new)
    when new.status = 'running' and v_from = 'queued' then
      'Claimed by ' || new.claimed_by || ' (attempt ' || new.attempts || ' of ' || public.ai_run_max_attempts() || ')'
    when new.status = 'running' then 'Running again'
    when new.status = 'queued' then 'The executor stopped; queued again'
    when new.status = 'needs_approval' then 'Waiting for approval'
    when new.status = 'completed' then 'Completed' || coalesce(': ' || nullif(btrim(new.result_summary), ''), '')
    when new.status = 'failed' then 'Failed: ' || new.error
    else 'Cancelled' || coalesce(': ' || nullif(btrim(new.result_summary), ''),
                                 case when new.cancelled_by is not null then ' by an operator' else '' end)
  end;
  if tg_op = 'INSERT' then
    v_data := v_data || jsonb_strip_nulls(jsonb_build_object(
      'origin', new.origin, 'mode', new.mode, 'task_id', new.task_id, 'parent_run_id', new.parent_run_id,
      'routed_reason', (select m.metadata ->> 'routed_reason' from public.project_chat_messages m where m.id = new.source_message_id)));
  elsif new.status = 'running' then
    v_data := v_data || jsonb_build_object('claimed_by', new.claimed_by, 'attempt', new.attempts);
  elsif v_from = 'running' and new.status = 'queued' then
    v_data := v_data || jsonb_build_object('claimed_by', old.claimed_by, 'attempt', old.attempts);
  end if;
  insert into public.ai_run_events (project_id, run_id, kind, agent_key, summary, data)
  values (new.project_id, new.id, 'status', new.agent_key, left(v_summary, 500), v_data);
  return null;
end;
$$;
comment on function public.record_ai_run_status() is 'Trigger on ai_runs: every new run and every status change appends a status event {from, to} to the run''s timeline, with a sentence saying why (what queued it, who claimed it, its result, error or cancel reason).';
revoke all on function public.record_ai_run_status() from public, anon, authenticated;

create trigger ai_runs_record_status_insert after insert on public.ai_runs
  for each row execute function public.record_ai_run_status();
create trigger ai_runs_record_status_change after update on public.ai_runs
  for each row when (old.status is distinct from new.status)
  execute function public.record_ai_run_status();
