-- A killed executor's deliveries go back to the queue at once instead of waiting for the watchdog
-- to fail them ("Stuck after pickup") and a human to click Retry.
--
-- An executor is dead when its presence row says it stopped (a clean stop, or a newer executor of
-- the same host took over its Control API address) or when its heartbeat is older than the caller
-- allows (the watchdog passes three heartbeat intervals). Its claimed deliveries are requeued with
-- the attempt counted, or failed when no attempt is left. A claim whose executor has no presence
-- row (a test, an old executor) is left to the watchdog's stuck timer, as before. A reply is saved
-- only by the executor holding the claim, in the transaction that completes the delivery
-- (complete_chat_deliveries -> save_chat_reply), so a requeued delivery never had its reply saved,
-- and a late answer from the old claim is refused: the next attempt writes the one reply.

create or replace function public.requeue_deliveries_of_dead_executors(p_dead_after interval)
returns table (id uuid, message_id uuid, agent_key text, claimed_by text, status text, attempts integer, error text)
language plpgsql
set search_path = ''
as $$
begin
  if p_dead_after is null or p_dead_after < interval '1 second' then
    raise exception 'p_dead_after must be at least one second (three heartbeat intervals is usual)' using errcode = '22023';
  end if;
  return query
  with dead as (
    select p.id, p.stopped_at, p.last_seen_at
    from public.executor_presence p
    where p.stopped_at is not null or p.last_seen_at < now() - p_dead_after
  ),
  changed as (
    update public.chat_delivery_queue d
    set status = case when d.attempts < d.max_attempts then 'queued' else 'failed' end,
        claimed_by = case when d.attempts < d.max_attempts then null else d.claimed_by end,
        picked_up_at = case when d.attempts < d.max_attempts then null else d.picked_up_at end,
        available_at = case when d.attempts < d.max_attempts then now() else d.available_at end,
        completed_at = case when d.attempts < d.max_attempts then null else now() end,
        error = case
          when d.attempts < d.max_attempts then
            'Executor ' || d.claimed_by || ' ' || case when x.stopped_at is not null then 'stopped' else 'stopped sending heartbeats' end
              || ' during attempt ' || d.attempts || ' of ' || d.max_attempts || ': queued again.'
          else
            'Executor ' || d.claimed_by || ' died during the last of ' || d.max_attempts || ' attempts. Retry it.'
        end
    from dead x
    where d.status = 'delivered' and d.claimed_by = x.id
    returning d.id, d.message_id, d.agent_key, x.id as executor_id, d.status, d.attempts, d.error, d.project_id
  ),
  failed_messages as (
    update public.project_chat_messages m set status = 'failed'
    where m.id in (select c.message_id from changed c where c.status = 'failed') and m.status in ('sent', 'delivered')
  ),
  logged as (
    insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
    select c.project_id, 'system', 'watchdog', 'chat.delivery_failed', 'Delivery to ' || c.agent_key || ' failed: ' || c.error,
           jsonb_build_object('delivery_id', c.id, 'message_id', c.message_id)
    from changed c
    where c.status = 'failed'
  )
  select c.id, c.message_id, c.agent_key, c.executor_id, c.status, c.attempts, c.error from changed c;
end;
$$;
comment on function public.requeue_deliveries_of_dead_executors(interval) is 'Executor only (the watchdog, and each executor at start): deliveries claimed by an executor whose presence row says it stopped, or whose last heartbeat is older than p_dead_after, go back to the queue at once with the attempt counted (failed, with a Retry-able error and an activity, when none is left). Claims of executors without a presence row are left to fail_stuck_chat_deliveries. Answers what it changed.';
revoke all on function public.requeue_deliveries_of_dead_executors(interval) from public, anon, authenticated;
grant execute on function public.requeue_deliveries_of_dead_executors(interval) to service_role;
