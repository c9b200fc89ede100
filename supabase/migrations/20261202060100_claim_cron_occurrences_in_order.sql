-- claim_cron_occurrences, again: it locks the claimed jobs in id order before moving them on.
-- Several executors tick at once (and tests start several); each moved the same jobs in whatever
-- order its join produced, so two of them could each hold a job the other waited for, and
-- Postgres broke the deadlock by failing one tick ("deadlock detected"). Unchanged otherwise.

create or replace function public.claim_cron_occurrences(p_executor_id text, p_now timestamp with time zone, p_items jsonb, p_lease_seconds integer DEFAULT 60, p_grace_seconds integer DEFAULT 120)
 RETURNS SETOF public.cron_job_runs
 LANGUAGE plpgsql
 SECURITY DEFINER
 SET search_path TO ''
AS $function$
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
  -- The jobs are locked in id order first: two executors claiming overlapping jobs then queue on
  -- the same first row instead of each holding a row the other waits for (a deadlock).
  locked as (
    select j.id from public.cron_mirror j
    where j.id in (select i.job_id from items i)
    order by j.id
    for no key update of j
  ),
  -- Compare-and-set: only the executor that saw the job's current next run (and revision) moves it
  -- on; a concurrent one waits for the row and then no longer matches.
  moved as (
    update public.cron_mirror j
      set next_run_at = i.next_run_at,
          scheduled_rev = i.schedule_rev,
          last_run_at = case when coalesce(i.due_count, 0) > 0 then p_now else j.last_run_at end
      from items i join locked l on l.id = i.job_id
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
$function$;
comment on function public.claim_cron_occurrences(text,timestamp with time zone,jsonb,integer,integer) is 'Executor only: p_items [{job_id, schedule_rev, expected_next_run_at, next_run_at, due_count, first_due, latest_due}] as computed from the schedule at p_now. Per job, a compare-and-set on next_run_at and schedule_rev (so exactly one executor wins), then the due occurrences: catch_up_once runs the latest once with missed_count = due_count - 1; skip runs it only when on time (within p_grace_seconds) and records the others as one missed row. Answers the running rows this executor now holds (lease p_lease_seconds).';
