-- The executor runs scheduled jobs. cron_mirror gains a time zone, a missed-run policy and a
-- schedule revision; cron_job_runs records every occurrence (one row per job and scheduled time,
-- so an occurrence fires once across any number of executors); agents.heartbeat becomes a
-- heartbeat job per agent; a heartbeat asks no model when nothing changed for its agent.
-- The executor computes fire times (croner, in shared) and hands them to these RPCs; every
-- decision that must hold across executors (claim, missed policy, state machine) is made here.

-- cron_mirror: time zone, missed policy, schedule revision, the agent a heartbeat job belongs to.
alter table public.cron_mirror
  add column time_zone text not null default 'UTC' check (length(time_zone) between 1 and 64),
  add column missed_policy text not null default 'catch_up_once' check (missed_policy in ('catch_up_once', 'skip')),
  add column schedule_rev integer not null default 1,
  add column scheduled_rev integer not null default 0,
  add column heartbeat_agent_id uuid unique references public.agents (id) on delete cascade;
comment on column public.cron_mirror.time_zone is 'IANA time zone the cron and at expressions are read in (default UTC); every intervals are absolute.';
comment on column public.cron_mirror.missed_policy is 'When executors were down across due times: catch_up_once (run once, record how many were missed) or skip (record them as one missed row).';
comment on column public.cron_mirror.schedule_rev is 'Bumped when the schedule (kind, expression, time zone) changes or the job is resumed; the executor recomputes next_run_at when scheduled_rev lags behind.';
comment on column public.cron_mirror.scheduled_rev is 'The schedule_rev next_run_at was computed for (executor only).';
comment on column public.cron_mirror.heartbeat_agent_id is 'Set on the heartbeat job that mirrors agents.heartbeat of this agent (kept in sync by trigger); null for other jobs.';
comment on column public.cron_mirror.enabled is 'false: paused. A paused job keeps its history and has no next run; resuming schedules from the resume time (no catch-up for the paused time).';

create or replace function public.check_cron_mirror_write() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  begin
    perform now() at time zone new.time_zone;
  exception when others then
    raise exception 'Unknown time zone "%"', new.time_zone
      using errcode = '22023', hint = 'Use an IANA time zone name such as UTC or Europe/Berlin.';
  end;
  if tg_op = 'UPDATE' then
    if new.schedule_kind <> old.schedule_kind or new.schedule_expr <> old.schedule_expr or new.time_zone <> old.time_zone
       or (new.enabled and not old.enabled) then
      new.schedule_rev := old.schedule_rev + 1;
      new.next_run_at := null;
    end if;
    if not new.enabled then
      new.next_run_at := null;
    end if;
  end if;
  return new;
end;
$$;
comment on function public.check_cron_mirror_write() is 'Trigger on cron_mirror: refuses an unknown time zone (22023); a changed schedule or a resume bumps schedule_rev and clears next_run_at (the executor recomputes it); a paused job has no next run.';
revoke all on function public.check_cron_mirror_write() from public, anon, authenticated;

create trigger cron_mirror_check_write before insert or update on public.cron_mirror
  for each row execute function public.check_cron_mirror_write();

-- Run history.
create table public.cron_job_runs (
  id uuid primary key default extensions.gen_random_uuid(),
  job_id uuid not null references public.cron_mirror (id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  scheduled_for timestamptz not null,
  status text not null check (status in ('queued', 'running', 'succeeded', 'failed', 'skipped', 'missed')),
  reason text check (reason is null or length(reason) <= 2000),
  missed_count integer not null default 0 check (missed_count >= 0),
  started_at timestamptz,
  finished_at timestamptz,
  duration_ms bigint generated always as ((extract(epoch from (finished_at - started_at)) * 1000)::bigint) stored,
  tokens integer not null default 0 check (tokens >= 0),
  produced_kind text check (produced_kind in ('run', 'delivery', 'activity')),
  produced_id text,
  claimed_by text,
  lease_until timestamptz,
  checked_seq bigint,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  unique (job_id, scheduled_for),
  check ((produced_kind is null) = (produced_id is null))
);
comment on table public.cron_job_runs is 'One row per occurrence of a scheduled job (unique per job and scheduled time, so it fires once across executors): status queued -> running -> succeeded | failed | skipped, or missed; missed_count says how many earlier due times this row stands for; tokens and what it produced (run, delivery or activity). Members read; only the executor writes (cron RPCs); the state machine is enforced by trigger; final rows are frozen and rows are only removed with their job.';
comment on column public.cron_job_runs.checked_seq is 'Heartbeats: the live sequence when the change check ran; the next check looks at rows written after it.';
comment on column public.cron_job_runs.lease_until is 'While running and before it produced anything: when another executor may take the occurrence over.';
alter table public.cron_job_runs enable row level security;
revoke all on public.cron_job_runs from anon;
create index cron_job_runs_project_seq_idx on public.cron_job_runs (project_id, seq desc);
create index cron_job_runs_job_scheduled_idx on public.cron_job_runs (job_id, scheduled_for desc);
create index cron_job_runs_open_idx on public.cron_job_runs (lease_until) where status in ('queued', 'running') and produced_id is null;
create index cron_job_runs_produced_idx on public.cron_job_runs (produced_id) where produced_kind = 'run';

create trigger cron_job_runs_stamp_live_row before insert or update on public.cron_job_runs
  for each row execute function public.stamp_live_row();
create trigger cron_job_runs_touch_updated_at before update on public.cron_job_runs
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's scheduled job runs"
  on public.cron_job_runs for select to authenticated
  using ((select public.has_project_role(project_id)));

create or replace function public.check_cron_job_run_write() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    -- Only the job's own deletion (the cascade runs after the job row is gone) removes history.
    if exists (select 1 from public.cron_mirror j where j.id = old.job_id) then
      raise exception 'Scheduled job runs are history and cannot be deleted' using errcode = '42501',
        hint = 'Delete the job to remove its history.';
    end if;
    return old;
  end if;
  if tg_op = 'INSERT' then
    if new.status not in ('queued', 'running', 'missed') then
      raise exception 'A scheduled job run starts queued, running or missed, not %', new.status using errcode = '23514';
    end if;
    if not exists (select 1 from public.cron_mirror j where j.id = new.job_id and j.project_id = new.project_id) then
      raise exception 'Scheduled job % is not in project %', new.job_id, new.project_id using errcode = '23503';
    end if;
    return new;
  end if;
  if new.job_id <> old.job_id or new.project_id <> old.project_id or new.scheduled_for <> old.scheduled_for
     or new.created_at <> old.created_at then
    raise exception 'A scheduled job run keeps its job, project and scheduled time' using errcode = '23514';
  end if;
  if old.status in ('succeeded', 'failed', 'skipped', 'missed') then
    raise exception 'Scheduled job run % is final (%) and cannot change', old.id, old.status using errcode = '23514';
  end if;
  if not (
    (old.status = 'queued' and new.status in ('queued', 'running', 'failed', 'skipped'))
    or (old.status = 'running' and new.status in ('running', 'succeeded', 'failed', 'skipped'))
  ) then
    raise exception 'A scheduled job run cannot go from % to %', old.status, new.status using errcode = '23514';
  end if;
  if old.produced_id is not null and new.produced_id is distinct from old.produced_id then
    raise exception 'A scheduled job run keeps what it produced' using errcode = '23514';
  end if;
  if new.status in ('succeeded', 'failed', 'skipped') then
    new.finished_at := coalesce(new.finished_at, now());
    new.lease_until := null;
  end if;
  return new;
end;
$$;
comment on function public.check_cron_job_run_write() is 'Trigger on cron_job_runs: inserts start queued, running or missed; queued -> running | failed | skipped, running -> succeeded | failed | skipped (or running again when another executor takes over an expired lease); final rows are frozen; job, project, scheduled time and what a run produced never change; rows are deleted only with their job.';
revoke all on function public.check_cron_job_run_write() from public, anon, authenticated;

create trigger cron_job_runs_check_write before insert or update or delete on public.cron_job_runs
  for each row execute function public.check_cron_job_run_write();
create trigger cron_job_runs_refuse_truncate before truncate on public.cron_job_runs
  for each statement execute function public.refuse_append_only_change();

-- Runs started by a schedule: a new origin.
alter table public.ai_runs drop constraint ai_runs_origin_check;
alter table public.ai_runs add constraint ai_runs_origin_check
  check (origin in ('assignment', 'mention', 'comment', 'command', 'dm', 'runs_page', 'revision', 'handoff', 'test_after_apply', 'schedule'));

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
    when 'schedule' then 'a scheduled job'
    else 'testing the applied changeset'
  end
$$;
comment on function public.describe_run_origin(public.ai_runs) is 'What started a run, in words ("the task was assigned to @backend").';

-- agents.heartbeat {enabled, interval_minutes} -> one heartbeat job per agent.
create or replace function public.sync_agent_heartbeat_job() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_minutes integer;
  v_enabled boolean;
begin
  v_minutes := greatest(1, least(1440, coalesce(case when jsonb_typeof(new.heartbeat -> 'interval_minutes') = 'number'
                                                     then (new.heartbeat ->> 'interval_minutes')::numeric::integer end, 30)));
  v_enabled := new.enabled and coalesce(case when jsonb_typeof(new.heartbeat -> 'enabled') = 'boolean'
                                             then (new.heartbeat ->> 'enabled')::boolean end, false);
  if not v_enabled and not exists (select 1 from public.cron_mirror j where j.heartbeat_agent_id = new.id) then
    return new;
  end if;
  insert into public.cron_mirror (project_id, name, schedule_kind, schedule_expr, job_intent, target_agent_key, enabled, heartbeat_agent_id)
  values (new.project_id, 'Heartbeat @' || new.agent_key, 'every', v_minutes || 'm', 'heartbeat', new.agent_key, v_enabled, new.id)
  on conflict (heartbeat_agent_id) do update
    set name = excluded.name, schedule_expr = excluded.schedule_expr, target_agent_key = excluded.target_agent_key,
        enabled = excluded.enabled
    where (public.cron_mirror.name, public.cron_mirror.schedule_expr, public.cron_mirror.target_agent_key, public.cron_mirror.enabled)
          is distinct from (excluded.name, excluded.schedule_expr, excluded.target_agent_key, excluded.enabled);
  return new;
end;
$$;
comment on function public.sync_agent_heartbeat_job() is 'Trigger on agents: keeps the agent''s heartbeat job (cron_mirror, job_intent heartbeat, every <interval_minutes>m, enabled when the agent and its heartbeat are) in step with agents.heartbeat. agents.heartbeat is the source of truth; the job is created the first time the heartbeat is enabled.';
revoke all on function public.sync_agent_heartbeat_job() from public, anon, authenticated;

create trigger agents_sync_heartbeat_job after insert or update of heartbeat, enabled, agent_key on public.agents
  for each row execute function public.sync_agent_heartbeat_job();

update public.agents set heartbeat = heartbeat where coalesce((heartbeat ->> 'enabled')::boolean, false);

-- Executor RPCs.
create index cron_mirror_due_idx on public.cron_mirror (next_run_at) where enabled;
create index cron_mirror_unscheduled_idx on public.cron_mirror (id) where enabled and scheduled_rev <> schedule_rev;

create or replace function public.list_due_cron_jobs(p_now timestamptz, p_project_ids uuid[] default null, p_limit integer default 1000)
returns setof public.cron_mirror
language sql
stable
security definer
set search_path = ''
as $$
  select j.* from public.cron_mirror j
  where j.enabled and (j.scheduled_rev <> j.schedule_rev or j.next_run_at <= p_now)
    and (p_project_ids is null or j.project_id = any (p_project_ids))
  order by j.next_run_at nulls first, j.id
  limit greatest(1, least(coalesce(p_limit, 1000), 10000))
$$;
comment on function public.list_due_cron_jobs(timestamptz, uuid[], integer) is 'Executor only: enabled jobs whose next run is due at p_now or whose schedule changed since next_run_at was computed (optionally only of p_project_ids).';
revoke all on function public.list_due_cron_jobs(timestamptz, uuid[], integer) from public, anon, authenticated;
grant execute on function public.list_due_cron_jobs(timestamptz, uuid[], integer) to service_role;

create or replace function public.claim_cron_occurrences(
  p_executor_id text,
  p_now timestamptz,
  p_items jsonb,
  p_lease_seconds integer default 60,
  p_grace_seconds integer default 120
)
returns setof public.cron_job_runs
language plpgsql
security definer
set search_path = ''
as $$
begin
  if p_executor_id is null or length(btrim(p_executor_id)) = 0 then
    raise exception 'An executor id is required' using errcode = '22023';
  end if;
  return query
  with items as (
    select * from jsonb_to_recordset(coalesce(p_items, '[]'::jsonb)) as x(
      job_id uuid, schedule_rev integer, expected_next_run_at timestamptz, next_run_at timestamptz,
      due_count integer, first_due timestamptz, latest_due timestamptz
    )
  ),
  -- Compare-and-set: only the executor that saw the job's current next run (and revision) moves it
  -- on; a concurrent one waits for the row and then no longer matches.
  moved as (
    update public.cron_mirror j
      set next_run_at = i.next_run_at,
          scheduled_rev = i.schedule_rev,
          last_run_at = case when coalesce(i.due_count, 0) > 0 then p_now else j.last_run_at end
      from items i
      where j.id = i.job_id and j.enabled and j.schedule_rev = i.schedule_rev
        and j.next_run_at is not distinct from i.expected_next_run_at
      returning j.id, j.project_id, j.missed_policy, coalesce(i.due_count, 0) as due, i.first_due, i.latest_due,
                p_now - i.latest_due <= make_interval(secs => greatest(1, coalesce(p_grace_seconds, 120))) as on_time
  ),
  missed as (
    insert into public.cron_job_runs (job_id, project_id, scheduled_for, status, reason, missed_count, started_at, finished_at)
    select m.id, m.project_id, m.first_due, 'missed',
           'Executors were down at the due time' || case when m.due - m.on_time::integer > 1 then 's' else '' end
             || '; the job''s policy is skip',
           m.due - m.on_time::integer, p_now, p_now
    from moved m
    where m.due > 0 and m.missed_policy = 'skip' and (m.due > 1 or not m.on_time)
    on conflict (job_id, scheduled_for) do nothing
  )
  insert into public.cron_job_runs (job_id, project_id, scheduled_for, status, reason, missed_count, started_at, claimed_by, lease_until)
  select m.id, m.project_id, m.latest_due, 'running',
         case when m.missed_policy = 'catch_up_once' and m.due > 1
              then 'Caught up once for ' || m.due - 1 || ' missed due time' || case when m.due > 2 then 's' else '' end end,
         case when m.missed_policy = 'catch_up_once' then m.due - 1 else 0 end,
         p_now, p_executor_id, p_now + make_interval(secs => p_lease_seconds)
  from moved m
  where m.due > 0 and (m.missed_policy = 'catch_up_once' or m.on_time)
  on conflict (job_id, scheduled_for) do nothing
  returning *;
end;
$$;
comment on function public.claim_cron_occurrences(text, timestamptz, jsonb, integer, integer) is 'Executor only: p_items [{job_id, schedule_rev, expected_next_run_at, next_run_at, due_count, first_due, latest_due}] as computed from the schedule at p_now. Per job, a compare-and-set on next_run_at and schedule_rev (so exactly one executor wins), then the due occurrences: catch_up_once runs the latest once with missed_count = due_count - 1; skip runs it only when on time (within p_grace_seconds) and records the others as one missed row. Answers the running rows this executor now holds (lease p_lease_seconds).';
revoke all on function public.claim_cron_occurrences(text, timestamptz, jsonb, integer, integer) from public, anon, authenticated;
grant execute on function public.claim_cron_occurrences(text, timestamptz, jsonb, integer, integer) to service_role;

create or replace function public.claim_open_cron_job_runs(
  p_executor_id text,
  p_now timestamptz,
  p_lease_seconds integer default 60,
  p_limit integer default 50,
  p_project_ids uuid[] default null
)
returns setof public.cron_job_runs
language sql
security definer
set search_path = ''
as $$
  update public.cron_job_runs r
    set status = 'running', claimed_by = p_executor_id, started_at = coalesce(r.started_at, p_now),
        lease_until = p_now + make_interval(secs => p_lease_seconds)
    where r.id in (
      select o.id from public.cron_job_runs o
      where o.produced_id is null
        and (o.status = 'queued' or (o.status = 'running' and o.lease_until < p_now))
        and (p_project_ids is null or o.project_id = any (p_project_ids))
      order by o.scheduled_for, o.id
      limit greatest(1, least(coalesce(p_limit, 50), 500))
      for update skip locked
    )
  returning r.*
$$;
comment on function public.claim_open_cron_job_runs(text, timestamptz, integer, integer, uuid[]) is 'Executor only: claims (skip locked) queued occurrences ("Run now") and running ones whose executor died before they produced anything (lease expired at p_now), oldest first.';
revoke all on function public.claim_open_cron_job_runs(text, timestamptz, integer, integer, uuid[]) from public, anon, authenticated;
grant execute on function public.claim_open_cron_job_runs(text, timestamptz, integer, integer, uuid[]) to service_role;

create or replace function public.live_seq_now() returns bigint
language sql
stable
security definer
set search_path = ''
as $$
  select last_value from public.live_seq
$$;
comment on function public.live_seq_now() is 'Internal: the last live sequence value handed out (a row written later has a higher seq).';
revoke all on function public.live_seq_now() from public, anon, authenticated;

create or replace function public.cron_heartbeat_changes(
  p_project_id uuid,
  p_agent_key text,
  p_since_seq bigint,
  p_since timestamptz,
  p_now timestamptz,
  p_approval_hours integer default 4,
  p_due_hours integer default 24
)
returns jsonb
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('kind', c.kind, 'count', c.n, 'summary', c.summary) order by c.ord), '[]'::jsonb)
  from (
    select 1 as ord, 'messages' as kind, count(*) as n, count(*) || ' new message(s) to @' || p_agent_key as summary
      from public.project_chat_messages m
      where m.project_id = p_project_id and p_agent_key = any (m.target_agent_keys) and m.seq > p_since_seq
        and m.author_agent_key is distinct from p_agent_key
    union all
    select 2, 'tasks', count(*), count(*) || ' of its task(s) changed'
      from public.tasks t
      where t.project_id = p_project_id and t.assignee_agent_key = p_agent_key and t.seq > p_since_seq
    union all
    select 3, 'deliveries_failed', count(*), count(*) || ' delivery(ies) to it failed'
      from public.chat_delivery_queue d
      where d.project_id = p_project_id and d.agent_key = p_agent_key and d.status = 'failed' and d.seq > p_since_seq
    union all
    select 4, 'approvals_waiting', count(*), count(*) || ' of its proposal(s) now waiting more than ' || p_approval_hours || ' hours'
      from public.action_proposals a
      where a.project_id = p_project_id and a.proposed_by_agent_key = p_agent_key and a.status = 'proposed'
        and a.created_at + make_interval(hours => p_approval_hours) > p_since
        and a.created_at + make_interval(hours => p_approval_hours) <= p_now
    union all
    select 5, 'due_soon', count(*), count(*) || ' of its task(s) now due within ' || p_due_hours || ' hours'
      from public.tasks t
      where t.project_id = p_project_id and t.assignee_agent_key = p_agent_key and t.status <> 'done'
        and t.due_at > p_since + make_interval(hours => p_due_hours) and t.due_at <= p_now + make_interval(hours => p_due_hours)
  ) c
  where c.n > 0
$$;
comment on function public.cron_heartbeat_changes(uuid, text, bigint, timestamptz, timestamptz, integer, integer) is 'Internal: what changed for an agent since its last heartbeat check, deterministically and without a model: new messages to it and its tasks or failed deliveries written after p_since_seq; its proposals that crossed p_approval_hours of waiting, and its tasks that came within p_due_hours of their due date, between p_since and p_now. An empty array means nothing changed.';
revoke all on function public.cron_heartbeat_changes(uuid, text, bigint, timestamptz, timestamptz, integer, integer) from public, anon, authenticated;
grant execute on function public.cron_heartbeat_changes(uuid, text, bigint, timestamptz, timestamptz, integer, integer) to service_role;

create or replace function public.fire_cron_job_run(p_executor_id text, p_run_id uuid, p_now timestamptz)
returns public.cron_job_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_run public.cron_job_runs;
  v_job public.cron_mirror;
  v_prev public.cron_job_runs;
  v_seq bigint;
  v_changes jsonb;
  v_goal text;
  v_ai public.ai_runs;
  v_activity bigint;
begin
  select * into v_run from public.cron_job_runs r
    where r.id = p_run_id and r.status = 'running' and r.claimed_by = p_executor_id and r.produced_id is null
    for update;
  if not found then
    return null;
  end if;
  select * into v_job from public.cron_mirror j where j.id = v_run.job_id;
  begin
    if v_job.job_intent = 'heartbeat' then
      if v_job.target_agent_key is null then
        raise exception 'A heartbeat needs a target agent' using errcode = '22023';
      end if;
      select * into v_prev from public.cron_job_runs r
        where r.job_id = v_job.id and r.id <> v_run.id and r.checked_seq is not null
        order by r.checked_seq desc limit 1;
      v_seq := public.live_seq_now();
      v_changes := public.cron_heartbeat_changes(v_job.project_id, v_job.target_agent_key, coalesce(v_prev.checked_seq, 0),
                                                 coalesce(v_prev.started_at, v_job.created_at), p_now);
      if jsonb_array_length(v_changes) = 0 then
        update public.cron_job_runs set status = 'skipped', reason = 'nothing changed', tokens = 0, checked_seq = v_seq, finished_at = p_now
          where id = v_run.id returning * into v_run;
        return v_run;
      end if;
      v_goal := 'Periodic check for @' || v_job.target_agent_key || '. What changed since the last check: '
        || (select string_agg(c ->> 'summary', '; ') from jsonb_array_elements(v_changes) c) || '.'
        || case when length(btrim(v_job.instructions)) > 0 then E'\n\n' || btrim(v_job.instructions) else '' end;
      v_ai := public.queue_ai_run(v_job.project_id, v_job.target_agent_key, 'plan', 'schedule', v_goal,
        'This is a periodic check. Do NOT take external actions. Report findings to the activity feed. If action is needed, propose it for approval.',
        p_run_id => v_run.id);
      update public.cron_job_runs set produced_kind = 'run', produced_id = v_ai.id::text, checked_seq = v_seq, lease_until = null,
          reason = left(v_changes::text, 2000)
        where id = v_run.id returning * into v_run;
    elsif v_job.target_agent_key is not null then
      v_ai := public.queue_ai_run(v_job.project_id, v_job.target_agent_key, 'plan', 'schedule',
        coalesce(nullif(btrim(v_job.instructions), ''), v_job.name), p_run_id => v_run.id);
      update public.cron_job_runs set produced_kind = 'run', produced_id = v_ai.id::text, lease_until = null
        where id = v_run.id returning * into v_run;
    else
      insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
      values (v_job.project_id, 'system', 'scheduler', 'schedule.fired',
              left('Scheduled job "' || v_job.name || '"' || case when length(btrim(v_job.instructions)) > 0 then ': ' || btrim(v_job.instructions) else '' end, 1000),
              jsonb_build_object('job_id', v_job.id, 'cron_job_run_id', v_run.id, 'scheduled_for', v_run.scheduled_for))
      returning id into v_activity;
      update public.cron_job_runs set status = 'succeeded', produced_kind = 'activity', produced_id = v_activity::text, finished_at = p_now
        where id = v_run.id returning * into v_run;
    end if;
  exception when others then
    update public.cron_job_runs set status = 'failed', reason = left(sqlerrm, 2000), finished_at = p_now
      where id = v_run.id returning * into v_run;
  end;
  return v_run;
end;
$$;
comment on function public.fire_cron_job_run(text, uuid, timestamptz) is 'Executor only: does the work of an occurrence this executor holds, in one transaction. A heartbeat first checks what changed for its agent (cron_heartbeat_changes): nothing -> skipped "nothing changed" with 0 tokens and no run; otherwise a plan run (origin schedule) whose constraints carry the periodic-check safety instruction (runs only propose). Another job with a target agent queues a plan run with the instructions as goal; without one it posts to the activity feed. The run id is the occurrence id, so a retry after a crash queues nothing twice. Answers null when the occurrence is not (or no longer) this executor''s.';
revoke all on function public.fire_cron_job_run(text, uuid, timestamptz) from public, anon, authenticated;
grant execute on function public.fire_cron_job_run(text, uuid, timestamptz) to service_role;

create or replace function public.fire_cron_job_runs(p_executor_id text, p_run_ids uuid[], p_now timestamptz)
returns setof public.cron_job_runs
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_id uuid;
  v_run public.cron_job_runs;
begin
  foreach v_id in array coalesce(p_run_ids, '{}'::uuid[]) loop
    v_run := public.fire_cron_job_run(p_executor_id, v_id, p_now);
    if v_run.id is not null then
      return next v_run;
    end if;
  end loop;
end;
$$;
comment on function public.fire_cron_job_runs(text, uuid[], timestamptz) is 'Executor only: fire_cron_job_run for each of p_run_ids (one round trip for a batch); answers the occurrences it fired.';
revoke all on function public.fire_cron_job_runs(text, uuid[], timestamptz) from public, anon, authenticated;
grant execute on function public.fire_cron_job_runs(text, uuid[], timestamptz) to service_role;

-- A scheduled run's outcome finishes its occurrence.
create or replace function public.finish_cron_job_run_from_ai_run() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if new.status in ('completed', 'needs_approval', 'failed', 'cancelled') then
    update public.cron_job_runs r
      set status = case when new.status in ('completed', 'needs_approval') then 'succeeded' else 'failed' end,
          tokens = coalesce(new.input_tokens, 0) + coalesce(new.output_tokens, 0),
          reason = case when new.status in ('failed', 'cancelled') then left(coalesce(new.error, 'The run was ' || new.status), 2000) else r.reason end,
          finished_at = coalesce(new.finished_at, now())
      where r.produced_kind = 'run' and r.produced_id = new.id::text and r.status = 'running';
  end if;
  return null;
end;
$$;
comment on function public.finish_cron_job_run_from_ai_run() is 'Trigger on ai_runs (origin schedule): when the run completes or waits for approval its occurrence succeeds, when it fails or is cancelled the occurrence fails; tokens are the run''s input plus output tokens.';
revoke all on function public.finish_cron_job_run_from_ai_run() from public, anon, authenticated;

create trigger ai_runs_finish_cron_job_run after update of status on public.ai_runs
  for each row when (new.origin = 'schedule' and new.status is distinct from old.status)
  execute function public.finish_cron_job_run_from_ai_run();

-- Realtime: run history joins the publication (it is in the shared registry).
do $$
begin
  if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'cron_job_runs') then
    alter publication supabase_realtime add table public.cron_job_runs;
  end if;
end
$$;
