-- The Overview page (issue 12, "Overview"): what an operator leaves open. Agents, runs, approvals
-- and budgets come from the dashboard's live store; the chat delivery queue does not (the store
-- reads back only the deliveries of operator messages it holds), and an hour of history is not
-- rows anyone holds. project_overview answers both in one read, from chat_delivery_queue
-- timestamps and provider_calls: no history table, nothing to keep in step.
--
-- History is per minute, computed from the timestamps a delivery keeps:
--   waiting at the end of a minute = created_at <= then and (picked up or completed later, or not yet).
--     A delivery queued again after an error forgets its earlier pickup (picked_up_at = null), so it
--     counts as waiting from its creation: the chart overstates a retried delivery, never hides one.
--   reply latency = completed_at - created_at of the deliveries processed in that minute (p50, p95).
-- Security invoker: RLS decides what is counted; a non-member is refused outright (403), so an
-- empty chart never means "no access".

-- The overview reads one project's recent deliveries; nothing else indexes them by project.
create index chat_delivery_queue_project_created_idx on public.chat_delivery_queue (project_id, created_at);

create or replace function public.project_overview(p_project_id uuid, p_minutes integer default 60)
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
declare
  v_now timestamptz := now();
  v_last_minute timestamptz := date_trunc('minute', now());
  v_start timestamptz;
  v_queue jsonb;
  v_oldest jsonb;
  v_failed jsonb;
  v_spend jsonb;
  v_history jsonb;
begin
  if p_project_id is null then
    raise exception 'p_project_id is required' using errcode = '22023', hint = 'Pass the id of a project you are a member of.';
  end if;
  if p_minutes is null or p_minutes < 5 or p_minutes > 240 then
    raise exception 'p_minutes must be from 5 to 240 (got %)', coalesce(p_minutes::text, 'null')
      using errcode = '22023', hint = 'The Overview asks for 60: the last hour, per minute.';
  end if;
  if not public.has_project_role(p_project_id) then
    raise exception 'You are not a member of project %', p_project_id
      using errcode = '42501', hint = 'Ask an owner of the project to invite you, or open one of your projects.';
  end if;
  v_start := v_last_minute - make_interval(mins => p_minutes - 1);

  select jsonb_build_object(
           'queued', count(*) filter (where d.status = 'queued'),
           'in_flight', count(*) filter (where d.status = 'delivered'),
           'failed_24h', count(*) filter (where d.status = 'failed' and d.completed_at >= v_now - interval '24 hours')
         )
    into v_queue
  from public.chat_delivery_queue d
  where d.project_id = p_project_id
    and (d.status in ('queued', 'delivered') or (d.status = 'failed' and d.completed_at >= v_now - interval '24 hours'));

  -- The oldest waiting delivery, with its thread: the Overview links to where it waits.
  select jsonb_build_object('id', d.id, 'agent_key', d.agent_key, 'created_at', d.created_at, 'thread_key', t.thread_key)
    into v_oldest
  from public.chat_delivery_queue d
  join public.project_chat_messages m on m.id = d.message_id
  join public.project_chat_threads t on t.id = m.thread_id
  where d.project_id = p_project_id and d.status = 'queued'
  order by d.created_at, d.id
  limit 1;

  -- The latest failures of the last day: each is retried from its thread.
  select coalesce(jsonb_agg(f order by f.completed_at desc, f.id), '[]'::jsonb)
    into v_failed
  from (
    select d.id, d.agent_key, d.error, d.attempts, d.completed_at, t.thread_key
    from public.chat_delivery_queue d
    join public.project_chat_messages m on m.id = d.message_id
    join public.project_chat_threads t on t.id = m.thread_id
    where d.project_id = p_project_id and d.status = 'failed' and d.completed_at >= v_now - interval '24 hours'
    order by d.completed_at desc, d.id
    limit 10
  ) f;

  -- Spend of the UTC day so far, as usage_by_day counts it (finished calls; null usd when no call had a price).
  select jsonb_build_object(
           'usd', sum(c.cost_usd),
           'tokens', coalesce(sum(c.input_tokens + c.output_tokens), 0),
           'calls', count(*),
           'unpriced_calls', count(*) filter (where c.cost_usd is null)
         )
    into v_spend
  from public.provider_calls c
  where c.project_id = p_project_id
    and c.created_at >= public.budget_period_start('day', v_now)
    and c.outcome in ('ok', 'error');

  -- A delivery created more than a day before the window and finished within it is left out: the
  -- index range stays one day wider than the window, and such a delivery is still counted while open.
  with d as (
    select d.created_at, d.picked_up_at, d.completed_at, d.status
    from public.chat_delivery_queue d
    where d.project_id = p_project_id
      and (d.created_at >= v_start - interval '1 day' or d.status in ('queued', 'delivered'))
  ),
  minutes as (
    select g.minute, least(g.minute + interval '1 minute', v_now) as upto
    from generate_series(v_start, v_last_minute, interval '1 minute') as g(minute)
  )
  select jsonb_agg(
           jsonb_build_object(
             'minute', m.minute,
             'queued', (
               select count(*) from d
               where d.created_at <= m.upto and coalesce(d.picked_up_at, d.completed_at, 'infinity'::timestamptz) > m.upto
             ),
             'replies', l.replies,
             'p50_ms', l.p50_ms,
             'p95_ms', l.p95_ms
           )
           order by m.minute
         )
    into v_history
  from minutes m
  cross join lateral (
    select count(*) as replies,
           round((percentile_cont(0.5) within group (order by extract(epoch from d.completed_at - d.created_at)) * 1000)::numeric) as p50_ms,
           round((percentile_cont(0.95) within group (order by extract(epoch from d.completed_at - d.created_at)) * 1000)::numeric) as p95_ms
    from d
    where d.status = 'processed' and d.completed_at >= m.minute and d.completed_at < m.minute + interval '1 minute'
  ) l;

  return jsonb_build_object(
    'as_of', v_now,
    'minutes', p_minutes,
    'queue', v_queue || jsonb_build_object('oldest', v_oldest),
    'failed', v_failed,
    'spend_today', v_spend,
    'history', coalesce(v_history, '[]'::jsonb)
  );
end;
$$;
comment on function public.project_overview(uuid, integer) is 'The Overview page''s read: the chat delivery queue now (queued, in flight, failed in the last 24 h, the oldest waiting delivery with its thread, the latest 10 failures), spend of the UTC day so far (finished provider calls), and per minute over the last p_minutes (5 to 240) the queue depth at the end of the minute and the reply latency p50 / p95 in ms of the deliveries processed in it. Security invoker (RLS decides); 403 for a non-member, 400 for bad input.';
revoke all on function public.project_overview(uuid, integer) from public, anon;
grant execute on function public.project_overview(uuid, integer) to authenticated;
