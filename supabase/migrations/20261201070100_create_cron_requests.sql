-- Schedule controls as an outbox, like agent provisioning: the dashboard writes a request (create,
-- patch, delete a job, or run it now) and an executor applies it: at once through the Control API
-- when Live, or when it comes back (Backup mode). Requests of a project apply in the order they
-- were made (by their live sequence, across the four tables), each once.

create table public.cron_create_requests (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  job_id uuid not null default extensions.gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 120),
  schedule_kind text not null check (schedule_kind in ('every', 'cron', 'at')),
  schedule_expr text not null check (length(btrim(schedule_expr)) between 1 and 200),
  time_zone text not null default 'UTC' check (length(time_zone) between 1 and 64),
  missed_policy text not null default 'catch_up_once' check (missed_policy in ('catch_up_once', 'skip')),
  job_intent text not null default 'task' check (job_intent ~ '^[a-z][a-z0-9_]{0,31}$'),
  instructions text not null default '' check (length(instructions) <= 20000),
  target_agent_key text check (target_agent_key is null or target_agent_key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  enabled boolean not null default true,
  status text not null default 'queued' check (status in ('queued', 'applied', 'failed')),
  error text check (length(error) <= 2000),
  requested_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  applied_at timestamptz,
  applied_by text check (length(applied_by) <= 200),
  seq bigint not null default nextval('public.live_seq'),
  check (status <> 'failed' or error is not null)
);
comment on table public.cron_create_requests is 'Requests to create a scheduled job (job_id is the id it gets), written by operators and applied once by the executor (apply_cron_requests): queued -> applied | failed with a reason in words.';

create table public.cron_job_patch_requests (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  job_id uuid not null,
  patch jsonb not null check (
    jsonb_typeof(patch) = 'object' and patch <> '{}'::jsonb
    and patch - array['name', 'schedule_kind', 'schedule_expr', 'time_zone', 'missed_policy', 'instructions', 'target_agent_key', 'enabled'] = '{}'::jsonb
  ),
  status text not null default 'queued' check (status in ('queued', 'applied', 'failed')),
  error text check (length(error) <= 2000),
  requested_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  applied_at timestamptz,
  applied_by text check (length(applied_by) <= 200),
  seq bigint not null default nextval('public.live_seq'),
  check (status <> 'failed' or error is not null)
);
comment on table public.cron_job_patch_requests is 'Requests to change a scheduled job (patch: name, schedule_kind, schedule_expr, time_zone, missed_policy, instructions, target_agent_key, enabled; enabled false pauses, true resumes), applied once in order by the executor.';

create table public.cron_delete_requests (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  job_id uuid not null,
  status text not null default 'queued' check (status in ('queued', 'applied', 'failed')),
  error text check (length(error) <= 2000),
  requested_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  applied_at timestamptz,
  applied_by text check (length(applied_by) <= 200),
  seq bigint not null default nextval('public.live_seq'),
  check (status <> 'failed' or error is not null)
);
comment on table public.cron_delete_requests is 'Requests to delete a scheduled job (and its history), applied once in order by the executor.';

create table public.cron_run_requests (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  job_id uuid not null,
  run_id uuid not null default extensions.gen_random_uuid(),
  status text not null default 'queued' check (status in ('queued', 'applied', 'failed')),
  error text check (length(error) <= 2000),
  requested_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  applied_at timestamptz,
  applied_by text check (length(applied_by) <= 200),
  seq bigint not null default nextval('public.live_seq'),
  check (status <> 'failed' or error is not null)
);
comment on table public.cron_run_requests is '"Run now" requests: applying one queues an occurrence of the job (cron_job_runs, id run_id) that the scheduler fires at once.';

do $$
declare
  t text;
begin
  foreach t in array array['cron_create_requests', 'cron_job_patch_requests', 'cron_delete_requests', 'cron_run_requests'] loop
    execute format('alter table public.%I enable row level security', t);
    execute format('revoke all on public.%I from anon', t);
    execute format('revoke update, delete, truncate on public.%I from authenticated', t);
    execute format('create index %I on public.%I (project_id, seq desc)', t || '_project_seq_idx', t);
    execute format('create index %I on public.%I (seq) where status = ''queued''', t || '_queued_idx', t);
    execute format('create trigger %I before insert or update on public.%I for each row execute function public.stamp_live_row()',
                   t || '_stamp_live_row', t);
    execute format('create policy "Members can read their project''s schedule requests" on public.%I for select to authenticated '
                   'using ((select public.has_project_role(project_id)))', t);
    execute format('create policy "Operators can request schedule changes in their project" on public.%I for insert to authenticated '
                   'with check (status = ''queued'' and error is null and applied_at is null and applied_by is null '
                   'and requested_by = (select auth.uid()) and (select public.has_project_role(project_id, array[''owner'', ''operator''])))', t);
    if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = t) then
      execute format('alter publication supabase_realtime add table public.%I', t);
    end if;
  end loop;
end
$$;

create or replace function public.describe_cron_request_error(p_state text, p_message text, p_name text) returns text
language sql
immutable
set search_path = ''
as $$
  select case
    when p_state = '23505' then 'A scheduled job named "' || coalesce(p_name, '') || '" already exists in this project: pick another name'
    when p_state = '22023' then p_message
    when p_state = '23514' then 'The job was refused by a check (' || p_message || '): fix the field and try again'
    else p_message
  end
$$;
comment on function public.describe_cron_request_error(text, text, text) is 'Internal: a failed schedule request''s reason, in words that say what to do.';
revoke all on function public.describe_cron_request_error(text, text, text) from public, anon, authenticated;

create or replace function public.set_agent_heartbeat(p_project_id uuid, p_agent_key text, p_enabled boolean, p_interval text)
returns uuid
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_minutes integer;
  v_agent_id uuid;
begin
  if p_interval is not null then
    if btrim(p_interval) !~ '^[0-9]{1,4}m$' or left(btrim(p_interval), -1)::integer not between 1 and 1440 then
      raise exception 'A heartbeat runs every 1 to 1440 minutes, not "%": write the interval like 15m', p_interval using errcode = '22023';
    end if;
    v_minutes := left(btrim(p_interval), -1)::integer;
  end if;
  update public.agents a
    set heartbeat = a.heartbeat
      || case when p_enabled is null then '{}'::jsonb else jsonb_build_object('enabled', p_enabled) end
      || case when v_minutes is null then '{}'::jsonb else jsonb_build_object('interval_minutes', v_minutes) end
    where a.project_id = p_project_id and a.agent_key = p_agent_key
    returning a.id into v_agent_id;
  if v_agent_id is null then
    raise exception 'There is no agent @% in this project', p_agent_key using errcode = '22023', hint = 'Pick an agent from the roster.';
  end if;
  return v_agent_id;
end;
$$;
comment on function public.set_agent_heartbeat(uuid, text, boolean, text) is 'Internal: turns an agent''s heartbeat on or off (p_enabled null: unchanged) and sets its interval ("15m"; null: unchanged) in agents.heartbeat, which keeps the heartbeat job in step. Answers the agent id.';
revoke all on function public.set_agent_heartbeat(uuid, text, boolean, text) from public, anon, authenticated;

create or replace function public.apply_cron_requests(
  p_executor_id text,
  p_now timestamptz,
  p_project_ids uuid[] default null,
  p_limit integer default 100
)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_next record;
  v_done jsonb := '[]'::jsonb;
  v_error text;
  v_state text;
  v_count integer;
  v_create public.cron_create_requests;
  v_patch public.cron_job_patch_requests;
  v_run public.cron_run_requests;
  v_job_project uuid;
  v_job public.cron_mirror;
  v_agent_id uuid;
begin
  -- One executor applies requests at a time, so they apply in order; the others find them applied.
  if not pg_try_advisory_xact_lock(hashtext('public.apply_cron_requests')) then
    return v_done;
  end if;
  for i in 1 .. greatest(1, least(coalesce(p_limit, 100), 1000)) loop
    select * into v_next from (
      select 'create' as kind, r.id, r.project_id, r.seq from public.cron_create_requests r where r.status = 'queued'
      union all select 'patch', r.id, r.project_id, r.seq from public.cron_job_patch_requests r where r.status = 'queued'
      union all select 'delete', r.id, r.project_id, r.seq from public.cron_delete_requests r where r.status = 'queued'
      union all select 'run', r.id, r.project_id, r.seq from public.cron_run_requests r where r.status = 'queued'
    ) q
    where p_project_ids is null or q.project_id = any (p_project_ids)
    order by q.seq
    limit 1;
    exit when not found;
    v_error := null;
    v_create := null;
    v_patch := null;
    v_job := null;
    begin
      case v_next.kind
        when 'create' then
          select * into v_create from public.cron_create_requests where id = v_next.id;
          if v_create.job_intent = 'heartbeat' then
            -- agents.heartbeat is the truth: turning it on creates (or updates) the agent's heartbeat job.
            if v_create.schedule_kind <> 'every' or v_create.target_agent_key is null then
              raise exception 'A heartbeat runs every N minutes for one agent: pick the agent and an interval such as 15m'
                using errcode = '22023';
            end if;
            v_agent_id := public.set_agent_heartbeat(v_create.project_id, v_create.target_agent_key, v_create.enabled, v_create.schedule_expr);
            update public.cron_mirror j
              set instructions = v_create.instructions, missed_policy = v_create.missed_policy, time_zone = v_create.time_zone
              where j.heartbeat_agent_id = v_agent_id;
          else
            insert into public.cron_mirror (id, project_id, name, schedule_kind, schedule_expr, time_zone, missed_policy, job_intent,
                                            instructions, target_agent_key, enabled)
            values (v_create.job_id, v_create.project_id, btrim(v_create.name), v_create.schedule_kind, btrim(v_create.schedule_expr),
                    v_create.time_zone, v_create.missed_policy, v_create.job_intent, v_create.instructions, v_create.target_agent_key,
                    v_create.enabled);
          end if;
        when 'patch' then
          select * into v_patch from public.cron_job_patch_requests where id = v_next.id;
          select * into v_job from public.cron_mirror j where j.id = v_patch.job_id and j.project_id = v_patch.project_id;
          if v_job.id is null then
            raise exception 'The scheduled job no longer exists: it was deleted' using errcode = '22023';
          end if;
          if v_job.heartbeat_agent_id is not null then
            if v_patch.patch ?| array['name', 'target_agent_key'] or coalesce(v_patch.patch ->> 'schedule_kind', 'every') <> 'every' then
              raise exception 'A heartbeat job keeps its name, agent and kind: change its interval, turn it on or off, or edit its instructions'
                using errcode = '22023';
            end if;
            if v_patch.patch ?| array['enabled', 'schedule_expr'] then
              perform public.set_agent_heartbeat(v_job.project_id, v_job.target_agent_key, (v_patch.patch ->> 'enabled')::boolean,
                                                 v_patch.patch ->> 'schedule_expr');
            end if;
            v_patch.patch := v_patch.patch - array['enabled', 'schedule_expr', 'schedule_kind'];
          end if;
          update public.cron_mirror j set
            name = coalesce(btrim(v_patch.patch ->> 'name'), j.name),
            schedule_kind = coalesce(v_patch.patch ->> 'schedule_kind', j.schedule_kind),
            schedule_expr = coalesce(btrim(v_patch.patch ->> 'schedule_expr'), j.schedule_expr),
            time_zone = coalesce(v_patch.patch ->> 'time_zone', j.time_zone),
            missed_policy = coalesce(v_patch.patch ->> 'missed_policy', j.missed_policy),
            instructions = coalesce(v_patch.patch ->> 'instructions', j.instructions),
            target_agent_key = case when v_patch.patch ? 'target_agent_key' then v_patch.patch ->> 'target_agent_key' else j.target_agent_key end,
            enabled = coalesce((v_patch.patch ->> 'enabled')::boolean, j.enabled)
          where j.id = v_job.id;
        when 'delete' then
          delete from public.cron_mirror j
            where j.id = (select r.job_id from public.cron_delete_requests r where r.id = v_next.id) and j.project_id = v_next.project_id;
        else
          select * into v_run from public.cron_run_requests where id = v_next.id;
          select j.project_id into v_job_project from public.cron_mirror j where j.id = v_run.job_id;
          if v_job_project is distinct from v_run.project_id then
            raise exception 'The scheduled job no longer exists: it was deleted' using errcode = '22023';
          end if;
          insert into public.cron_job_runs (id, job_id, project_id, scheduled_for, status, reason)
          values (v_run.run_id, v_run.job_id, v_run.project_id, p_now, 'queued', 'Run now');
      end case;
    exception when others then
      get stacked diagnostics v_state = returned_sqlstate;
      v_error := left(public.describe_cron_request_error(v_state, sqlerrm, coalesce(v_create.name, v_patch.patch ->> 'name')), 2000);
    end;
    execute format('update public.%I set status = $1, error = $2, applied_at = $3, applied_by = $4 where id = $5',
                   case v_next.kind when 'create' then 'cron_create_requests' when 'patch' then 'cron_job_patch_requests'
                                    when 'delete' then 'cron_delete_requests' else 'cron_run_requests' end)
      using case when v_error is null then 'applied' else 'failed' end, v_error, p_now, p_executor_id, v_next.id;
    v_done := v_done || jsonb_build_object('kind', v_next.kind, 'request_id', v_next.id,
                                           'status', case when v_error is null then 'applied' else 'failed' end, 'error', v_error);
  end loop;
  return v_done;
end;
$$;
comment on function public.apply_cron_requests(text, timestamptz, uuid[], integer) is 'Executor only: applies queued schedule requests (create, patch, delete, run now; a heartbeat create or a patch of a heartbeat job''s interval or on/off writes agents.heartbeat, the truth its job follows) of p_project_ids (all when null) in the order they were made, each once (one executor at a time, by advisory lock; the others answer []). A request that cannot apply fails with a reason in words. Answers [{kind, request_id, status, error}].';
revoke all on function public.apply_cron_requests(text, timestamptz, uuid[], integer) from public, anon, authenticated;
grant execute on function public.apply_cron_requests(text, timestamptz, uuid[], integer) to service_role;
