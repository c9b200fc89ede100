-- Schedule expressions are validated by the database too, so a bad one written through the Backup
-- path (a request row) is refused at insert with a 400 saying what to fix, instead of being applied
-- as a job that never runs. The rules restate shared/src/schedule (describeCronFieldsProblem,
-- parseEvery, the at grammar) rule for rule; supabase/tests/schedule/validate-schedule.test.ts runs
-- a corpus of expressions through both and through croner. Time zones must be in pg_timezone_names.

create or replace function public.describe_cron_expression_problem(p_expr text) returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  c_example constant text := 'e.g. 0 9 * * 1-5 (09:00 on weekdays) or */15 * * * *';
  c_field constant text[] := array['minute', 'hour', 'day of month', 'month', 'day of week'];
  c_min constant integer[] := array[0, 0, 1, 1, 0];
  c_max constant integer[] := array[59, 23, 31, 12, 7];
  c_max_step constant integer[] := array[60, 24, 31, 12, 7];
  c_months constant text[] := array['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
  c_days constant text[] := array['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
  v_fields text[];
  v_item text;
  v_match text[];
  v_raw text;
  v_values integer[];
  v_value integer;
  v_problem text;
begin
  if p_expr is null or p_expr !~ E'^[ \t]*[^ \t]+([ \t]+[^ \t]+){4}[ \t]*$' then
    return format('"%s" is not a five-field cron expression: write minute hour day-of-month month day-of-week separated by spaces, %s.',
                  p_expr, c_example);
  end if;
  v_fields := regexp_split_to_array(btrim(p_expr, E' \t'), E'[ \t]+');
  for f in 1 .. 5 loop
    foreach v_item in array string_to_array(v_fields[f], ',') loop
      v_problem := null;
      v_match := regexp_match(v_item, '^(?:(\*)|([0-9]{1,2}|[a-zA-Z]{3})(?:-([0-9]{1,2}|[a-zA-Z]{3}))?)(?:/([0-9]{1,2}))?$');
      if v_match is null then
        v_problem := case when v_item = '' then format('the %s field has an empty list item', c_field[f])
                          else format('"%s" in the %s field is not *, a value, a range a-b or a step */n or a-b/n (L, W, #, ? are not supported)',
                                      v_item, c_field[f]) end;
      elsif v_match[4] is not null and (v_match[4]::integer < 1 or v_match[4]::integer > c_max_step[f]) then
        v_problem := format('the step /%s in the %s field must be 1 to %s', v_match[4], c_field[f], c_max_step[f]);
      elsif v_match[4] is not null and v_match[1] is null and v_match[3] is null then
        v_problem := format('"%s" steps from a single value: write */%s or a range such as 0-30/%s', v_item, v_match[4], v_match[4]);
      elsif v_match[1] is null then
        v_values := '{}';
        for side in 2 .. 3 loop
          v_raw := lower(v_match[side]);
          continue when v_raw is null;
          if v_raw ~ '^[0-9]+$' then
            v_value := v_raw::integer;
            if v_value < c_min[f] or v_value > c_max[f] then
              v_problem := format('%s is out of range for the %s (%s-%s)', v_raw, c_field[f], c_min[f], c_max[f]);
            end if;
          elsif f = 4 and v_raw = any (c_months) then
            v_value := array_position(c_months, v_raw);
          elsif f = 5 and v_raw = any (c_days) then
            -- SUN closing a range is 7 (MON-SUN), as croner reads it.
            v_value := case when side = 3 and v_raw = 'sun' then 7 else array_position(c_days, v_raw) - 1 end;
          elsif f in (4, 5) then
            v_problem := format('"%s" is not a %s name (%s)', v_raw, c_field[f], case f when 4 then 'JAN-DEC' else 'SUN-SAT' end);
          else
            v_problem := format('names such as "%s" are only allowed in the month and day-of-week fields', v_raw);
          end if;
          exit when v_problem is not null;
          v_values := v_values || v_value;
        end loop;
        if v_problem is null and cardinality(v_values) = 2 and v_values[1] > v_values[2] then
          v_problem := format('the range %s in the %s field goes backwards: write the smaller value first', v_item, c_field[f]);
        end if;
      end if;
      if v_problem is not null then
        return format('"%s" is not a valid cron expression: %s; %s.', p_expr, v_problem, c_example);
      end if;
    end loop;
  end loop;
  return null;
end;
$$;
comment on function public.describe_cron_expression_problem(text) is 'What is wrong with a five-field cron expression, in words that say how to fix it, or null when the product accepts it: items *, */n, a, a-b, a-b/n in lists; numbers or (month, day of week) three-letter names; minute 0-59, hour 0-23, day 1-31, month 1-12, day of week 0-7. Restates describeCronFieldsProblem (shared/src/schedule), which croner reads the same way.';
revoke all on function public.describe_cron_expression_problem(text) from public, anon;
grant execute on function public.describe_cron_expression_problem(text) to authenticated, service_role;

create or replace function public.describe_schedule_expression_problem(p_kind text, p_expr text) returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_match text[];
  v_ms numeric;
  v_days integer;
begin
  case p_kind
    when 'cron' then
      return public.describe_cron_expression_problem(p_expr);
    when 'every' then
      v_match := regexp_match(coalesce(p_expr, ''), E'^[ \t]*([0-9]{1,5})[ \t]*(m|min|minutes?|h|hours?|d|days?)[ \t]*$', 'i');
      if v_match is not null then
        v_ms := v_match[1]::numeric * case lower(left(v_match[2], 1)) when 'm' then 60000 when 'h' then 3600000 else 86400000 end;
      end if;
      if v_ms is null or v_ms < 60000 or v_ms > 366 * 86400000::numeric then
        return format('"%s" is not an interval: write a number and a unit, e.g. 15m, 2h or 1d (1 minute to 366 days).', p_expr);
      end if;
      return null;
    when 'at' then
      v_match := regexp_match(coalesce(p_expr, ''),
        E'^[ \t]*([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.[0-9]{1,3})?)?(Z|[+-]([0-9]{2}):([0-9]{2}))?[ \t]*$');
      if v_match is null then
        return format('"%s" is not a date and time: write it like 2026-12-24T09:00 (read in the job''s time zone) or 2026-12-24T08:00:00Z.', p_expr);
      end if;
      v_days := case when v_match[2]::integer in (4, 6, 9, 11) then 30
                     when v_match[2]::integer <> 2 then 31
                     when v_match[1]::integer % 4 = 0 and (v_match[1]::integer % 100 <> 0 or v_match[1]::integer % 400 = 0) then 29
                     else 28 end;
      if v_match[1]::integer < 1970 or v_match[2]::integer not between 1 and 12 or v_match[3]::integer not between 1 and v_days
         or v_match[4]::integer > 23 or v_match[5]::integer > 59 or coalesce(v_match[6]::integer, 0) > 59
         or coalesce(v_match[8]::integer, 0) > 23 or coalesce(v_match[9]::integer, 0) > 59 then
        return format('"%s" is not a date and time that exists: check the year (from 1970), month, day, hour (00-23) and minute, e.g. 2026-12-24T09:00.', p_expr);
      end if;
      return null;
    else
      return format('"%s" is not a schedule kind: use every, cron or at.', p_kind);
  end case;
end;
$$;
comment on function public.describe_schedule_expression_problem(text, text) is 'What is wrong with a schedule expression of kind every ("15m", "2h", "1d": 1 minute to 366 days), cron (five fields, see describe_cron_expression_problem) or at (2026-12-24T09:00 local, or with Z / an offset), in words that say how to fix it; null when it is valid. Restates describeScheduleProblem (shared/src/schedule) without the time zone.';
revoke all on function public.describe_schedule_expression_problem(text, text) from public, anon;
grant execute on function public.describe_schedule_expression_problem(text, text) to authenticated, service_role;

create or replace function public.is_known_time_zone(p_time_zone text) returns boolean
language sql
stable
set search_path = ''
as $$
  -- posix/, right/ and Factory are tz database files the executor's Intl cannot read.
  -- UTC (the default, every heartbeat job) answers without reading the time zone files (~10 ms).
  select p_time_zone = 'UTC' or (
    p_time_zone !~ '^(posix|right)/' and p_time_zone not in ('Factory', 'posixrules', 'localtime')
    and exists (select 1 from pg_catalog.pg_timezone_names z where z.name = p_time_zone))
$$;
comment on function public.is_known_time_zone(text) is 'True when the time zone is an IANA name in pg_timezone_names (exact spelling, e.g. Europe/Berlin) that the executor can read too.';
revoke all on function public.is_known_time_zone(text) from public, anon;
grant execute on function public.is_known_time_zone(text) to authenticated, service_role;

create or replace function public.schedule_at_instant(p_expr text, p_time_zone text) returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  v_expr text := btrim(p_expr, E' \t');
begin
  if public.describe_schedule_expression_problem('at', p_expr) is not null then
    return null;
  end if;
  if v_expr ~ '(Z|[+-][0-9]{2}:[0-9]{2})$' then
    return v_expr::timestamptz;
  end if;
  return v_expr::timestamp at time zone p_time_zone;
end;
$$;
comment on function public.schedule_at_instant(text, text) is 'The instant of a valid at expression: with Z or an offset as written, otherwise the local time read in p_time_zone; null when it is not valid.';
revoke all on function public.schedule_at_instant(text, text) from public, anon;
grant execute on function public.schedule_at_instant(text, text) to authenticated, service_role;

create or replace function public.assert_schedule(p_kind text, p_expr text, p_time_zone text) returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_problem text;
begin
  if not public.is_known_time_zone(p_time_zone) then
    raise exception 'Unknown time zone "%": use an IANA name such as UTC or Europe/Berlin (exact spelling)', p_time_zone
      using errcode = '22023', hint = 'Use an IANA time zone name such as UTC or Europe/Berlin, spelled as in pg_timezone_names.';
  end if;
  v_problem := public.describe_schedule_expression_problem(p_kind, p_expr);
  if v_problem is not null then
    raise exception '%', v_problem using errcode = '22023';
  end if;
end;
$$;
comment on function public.assert_schedule(text, text, text) is 'Raises 22023 (HTTP 400) with what to fix when the time zone is unknown or the expression is not valid for its kind.';
revoke all on function public.assert_schedule(text, text, text) from public, anon;
grant execute on function public.assert_schedule(text, text, text) to authenticated, service_role;

-- cron_mirror: every write that sets a schedule is checked (operators' inserts, the executor applying
-- a request, the heartbeat sync), so no job is stored that the executor cannot read.
create or replace function public.check_cron_mirror_write() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.schedule_kind <> old.schedule_kind or new.schedule_expr <> old.schedule_expr
     or new.time_zone <> old.time_zone then
    perform public.assert_schedule(new.schedule_kind, new.schedule_expr, new.time_zone);
  end if;
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
comment on function public.check_cron_mirror_write() is 'Trigger on cron_mirror: refuses (22023, HTTP 400, with what to fix) an unknown time zone or an expression that is not valid for its kind when a schedule is written or changed; a changed schedule or a resume bumps schedule_rev and clears next_run_at (the executor recomputes it); a paused job has no next run.';
revoke all on function public.check_cron_mirror_write() from public, anon, authenticated;

create or replace function public.check_heartbeat_interval(p_expr text) returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if coalesce(btrim(p_expr), '') !~ '^[0-9]{1,4}m$' or left(btrim(p_expr), -1)::integer not between 1 and 1440 then
    raise exception 'A heartbeat runs every 1 to 1440 minutes, not "%": write the interval like 15m', p_expr using errcode = '22023';
  end if;
end;
$$;
comment on function public.check_heartbeat_interval(text) is 'Raises 22023 unless the expression is a heartbeat interval ("15m", 1 to 1440 minutes), as set_agent_heartbeat reads it.';
revoke all on function public.check_heartbeat_interval(text) from public, anon;
grant execute on function public.check_heartbeat_interval(text) to authenticated, service_role;

create or replace function public.check_schedule_request() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_patch jsonb;
  v_kind text;
  v_expr text;
  v_time_zone text;
  v_heartbeat boolean := false;
  v_at timestamptz;
begin
  if tg_table_name = 'cron_create_requests' then
    v_kind := new.schedule_kind;
    v_expr := new.schedule_expr;
    v_time_zone := new.time_zone;
    if new.job_intent = 'heartbeat' then
      if new.schedule_kind <> 'every' or new.target_agent_key is null then
        raise exception 'A heartbeat runs every N minutes for one agent: pick the agent and an interval such as 15m' using errcode = '22023';
      end if;
      perform public.check_heartbeat_interval(new.schedule_expr);
    end if;
  else
    v_patch := new.patch;
    if jsonb_typeof(v_patch) <> 'object' then
      return new;
    end if;
    if exists (select 1 from jsonb_each(v_patch) e
               where (e.key = 'enabled' and jsonb_typeof(e.value) <> 'boolean')
                  or (e.key = 'target_agent_key' and jsonb_typeof(e.value) not in ('string', 'null'))
                  or (e.key not in ('enabled', 'target_agent_key') and jsonb_typeof(e.value) <> 'string')) then
      raise exception 'A schedule patch sets enabled to true or false, target_agent_key to an agent key or null, and the other fields to text'
        using errcode = '22023';
    end if;
    if v_patch ? 'schedule_kind' and v_patch ->> 'schedule_kind' not in ('every', 'cron', 'at') then
      raise exception '"%" is not a schedule kind: use every, cron or at', v_patch ->> 'schedule_kind' using errcode = '22023';
    end if;
    if v_patch ? 'missed_policy' and v_patch ->> 'missed_policy' not in ('catch_up_once', 'skip') then
      raise exception '"%" is not a missed-run policy: use catch_up_once or skip', v_patch ->> 'missed_policy' using errcode = '22023';
    end if;
    if v_patch ? 'name' and length(btrim(v_patch ->> 'name')) not between 1 and 120 then
      raise exception 'A job name has 1 to 120 characters' using errcode = '22023';
    end if;
    if not (v_patch ?| array['schedule_kind', 'schedule_expr', 'time_zone']) then
      return new;
    end if;
    -- The schedule the patch leads to: the job's (or, in Backup, its queued create request's) with the patch on top.
    select j.schedule_kind, j.schedule_expr, j.time_zone, j.heartbeat_agent_id is not null
      into v_kind, v_expr, v_time_zone, v_heartbeat
      from public.cron_mirror j where j.id = new.job_id and j.project_id = new.project_id;
    if not found then
      select r.schedule_kind, r.schedule_expr, r.time_zone, r.job_intent = 'heartbeat'
        into v_kind, v_expr, v_time_zone, v_heartbeat
        from public.cron_create_requests r
        where r.job_id = new.job_id and r.project_id = new.project_id and r.status <> 'failed'
        order by r.seq desc limit 1;
      if not found then
        -- Nothing to patch: applying it fails with "The scheduled job no longer exists".
        return new;
      end if;
    end if;
    v_kind := coalesce(v_patch ->> 'schedule_kind', v_kind);
    v_expr := coalesce(v_patch ->> 'schedule_expr', v_expr);
    v_time_zone := coalesce(v_patch ->> 'time_zone', v_time_zone);
    if v_heartbeat then
      if v_kind <> 'every' then
        raise exception 'A heartbeat job keeps its name, agent and kind: change its interval, turn it on or off, or edit its instructions'
          using errcode = '22023';
      end if;
      perform public.check_heartbeat_interval(v_expr);
    end if;
  end if;
  perform public.assert_schedule(v_kind, v_expr, v_time_zone);
  if v_kind = 'at' then
    v_at := public.schedule_at_instant(v_expr, v_time_zone);
    if v_at <= now() then
      raise exception '% in % has already passed: pick a later time', btrim(v_expr), v_time_zone using errcode = '22023';
    end if;
  end if;
  return new;
end;
$$;
comment on function public.check_schedule_request() is 'Trigger on cron_create_requests and cron_job_patch_requests inserts: the schedule a request leads to must be valid (known time zone, expression valid for its kind, an at time still ahead, a heartbeat every 1 to 1440 minutes for one agent) and a patch''s fields of the right type, or the insert is refused with 22023 (HTTP 400) saying what to fix. The executor applies only requests that passed.';
revoke all on function public.check_schedule_request() from public, anon, authenticated;

create trigger cron_create_requests_check_schedule before insert on public.cron_create_requests
  for each row execute function public.check_schedule_request();
create trigger cron_job_patch_requests_check_schedule before insert on public.cron_job_patch_requests
  for each row execute function public.check_schedule_request();

-- Applying a request: as before, and an at time that passed while the request waited is refused.
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
            -- Queued while no executor ran, an at time may have passed: refused, never a job that cannot fire.
            if v_create.schedule_kind = 'at' and public.schedule_at_instant(v_create.schedule_expr, v_create.time_zone) <= p_now then
              raise exception '% in % passed before an executor applied this request: schedule the job again with a later time',
                btrim(v_create.schedule_expr), v_create.time_zone using errcode = '22023';
            end if;
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
          where j.id = v_job.id
          returning * into v_job;
          if v_patch.patch ?| array['schedule_kind', 'schedule_expr', 'time_zone'] and v_job.schedule_kind = 'at'
             and public.schedule_at_instant(v_job.schedule_expr, v_job.time_zone) <= p_now then
            raise exception '% in % passed before an executor applied this request: pick a later time',
              btrim(v_job.schedule_expr), v_job.time_zone using errcode = '22023';
          end if;
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
comment on function public.apply_cron_requests(text, timestamptz, uuid[], integer) is 'Executor only: applies queued schedule requests (create, patch, delete, run now; a heartbeat create or a patch of a heartbeat job''s interval or on/off writes agents.heartbeat, the truth its job follows) of p_project_ids (all when null) in the order they were made, each once (one executor at a time, by advisory lock; the others answer []). A request that cannot apply (the job is gone, the database refuses the schedule, an at time passed while it waited) fails with a reason in words. Answers [{kind, request_id, status, error}].';
revoke all on function public.apply_cron_requests(text, timestamptz, uuid[], integer) from public, anon, authenticated;
grant execute on function public.apply_cron_requests(text, timestamptz, uuid[], integer) to service_role;
