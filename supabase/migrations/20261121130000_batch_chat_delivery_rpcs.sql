-- Deliveries in batches. Under load an executor claims several deliveries together with
-- everything each one needs (claim_chat_delivery_batch), and saves the replies that are ready in
-- one call that also claims the next deliveries for the slots those replies free
-- (complete_chat_deliveries), so a busy executor needs about one round trip per batch instead of
-- four per delivery. The hot functions become plpgsql, whose statement plans are cached per
-- session; SQL functions that are not inlined are planned again on every call.

-- enable_sort = off: a queue's statistics are always stale (a burst of thousands of rows looks like
-- a handful until autovacuum analyzes it), and with stale statistics Postgres picked a bitmap scan
-- that sorts every queued row on every claim. Without sorting it walks the claimable index in order
-- and stops after p_limit rows, however deep the backlog.
create or replace function public.claim_chat_deliveries(p_executor_id text, p_limit integer default 10, p_message_id uuid default null)
returns setof public.chat_delivery_queue
language plpgsql
set search_path = ''
set enable_sort = off
as $$
declare
  v_ids uuid[];
begin
  if p_message_id is null then
    select array_agg(p.id) into v_ids
    from (
      select d.id
      from public.chat_delivery_queue d
      where d.status = 'queued' and d.available_at <= now()
      order by d.available_at, d.created_at
      for update skip locked
      limit greatest(1, least(p_limit, 500))
    ) p;
  else
    -- A message has one delivery per target agent: found through its index, in no particular order.
    select array_agg(p.id) into v_ids
    from (
      select d.id
      from public.chat_delivery_queue d
      where d.message_id = p_message_id and d.status = 'queued' and d.available_at <= now()
      for update skip locked
      limit greatest(1, least(p_limit, 500))
    ) p;
  end if;
  return query
  with claimed as (
    update public.chat_delivery_queue d
    set status = 'delivered', attempts = d.attempts + 1, picked_up_at = now(), claimed_by = p_executor_id, error = null
    where d.id = any (coalesce(v_ids, '{}'))
    returning d.*
  ),
  marked as (
    update public.project_chat_messages m set status = 'delivered'
    where m.id in (select c.message_id from claimed c) and m.status = 'sent'
  )
  select * from claimed;
end;
$$;
comment on function public.claim_chat_deliveries(text, integer, uuid) is 'Executor only: claims up to p_limit queued deliveries (or those of one message) with for update skip locked, so two executors never take the same one.';
revoke all on function public.claim_chat_deliveries(text, integer, uuid) from public, anon, authenticated;
grant execute on function public.claim_chat_deliveries(text, integer, uuid) to service_role;

create or replace function public.load_chat_delivery_context(p_delivery_id uuid, p_history_limit integer default 20)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select jsonb_build_object(
      'message', to_jsonb(m),
      'thread', jsonb_build_object('id', t.id, 'kind', t.kind, 'thread_key', t.thread_key, 'title', t.title),
      'agent', (
        select to_jsonb(a) from public.agents a
        where a.project_id = d.project_id and a.agent_key = d.agent_key
      ),
      'mission', (
        select to_jsonb(b) from public.brain_docs b
        where b.project_id = d.project_id and b.agent_key is null and b.doc_type = 'mission'
      ),
      'agent_docs', coalesce((
        select jsonb_agg(to_jsonb(b) order by b.created_at)
        from public.brain_docs b
        where b.project_id = d.project_id and b.agent_key = d.agent_key
      ), '[]'::jsonb),
      'history', coalesce((
        select jsonb_agg(to_jsonb(h) order by h.created_at)
        from (
          select * from public.project_chat_messages x
          where x.thread_id = m.thread_id and x.created_at < m.created_at
          order by x.created_at desc
          limit greatest(0, least(coalesce(p_history_limit, 20), 500))
        ) h
      ), '[]'::jsonb)
    )
    from public.chat_delivery_queue d
    join public.project_chat_messages m on m.id = d.message_id
    join public.project_chat_threads t on t.id = m.thread_id
    where d.id = p_delivery_id
  );
end;
$$;
comment on function public.load_chat_delivery_context(uuid, integer) is 'Executor only: the message of a delivery with its thread, the agent (null when it was removed), the project mission, the agent''s docs and the last p_history_limit messages before it (oldest first), as one JSON document. Null when the delivery or message is gone.';
revoke all on function public.load_chat_delivery_context(uuid, integer) from public, anon, authenticated;
grant execute on function public.load_chat_delivery_context(uuid, integer) to service_role;

create or replace function public.claim_chat_delivery_batch(
  p_executor_id text,
  p_limit integer default 10,
  p_message_id uuid default null,
  p_history_limit integer default 20
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_ids uuid[];
begin
  select coalesce(array_agg(c.id), '{}') into v_ids
  from public.claim_chat_deliveries(p_executor_id, p_limit, p_message_id) c;
  -- A second statement, so the context is read after the claim (message status 'delivered').
  return (
    select coalesce(jsonb_agg(
      jsonb_build_object('delivery', to_jsonb(d), 'context', public.load_chat_delivery_context(d.id, p_history_limit))
      order by d.available_at, d.created_at
    ), '[]'::jsonb)
    from public.chat_delivery_queue d
    where d.id = any (v_ids)
  );
end;
$$;
comment on function public.claim_chat_delivery_batch(text, integer, uuid, integer) is 'Executor only: claim_chat_deliveries plus each claimed delivery''s load_chat_delivery_context, as a JSON array of {delivery, context}, in one transaction.';
revoke all on function public.claim_chat_delivery_batch(text, integer, uuid, integer) from public, anon, authenticated;
grant execute on function public.claim_chat_delivery_batch(text, integer, uuid, integer) to service_role;

-- The body of complete_chat_delivery, answering instead of raising, so one refused reply does not
-- roll back the others of a batch.
create or replace function public.save_chat_reply(p_delivery_id uuid, p_executor_id text, p_reply text, p_metadata jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_delivery public.chat_delivery_queue;
  v_source public.project_chat_messages;
  v_reply public.project_chat_messages;
  v_kind text;
  v_limit integer;
  v_recent integer;
begin
  select * into v_delivery from public.chat_delivery_queue where id = p_delivery_id for update;
  if not found then
    return jsonb_build_object('delivery_id', p_delivery_id, 'ok', false, 'code', 'P0002',
      'error', format('Delivery %s does not exist', p_delivery_id), 'hint', null);
  end if;
  if v_delivery.status <> 'delivered' or v_delivery.claimed_by is distinct from p_executor_id then
    return jsonb_build_object('delivery_id', p_delivery_id, 'ok', false, 'code', '40001',
      'error', format('Delivery %s is no longer claimed by executor %s (it is %s)', p_delivery_id, p_executor_id, v_delivery.status),
      'hint', 'The watchdog or another executor took it over; drop this reply.');
  end if;
  select * into v_source from public.project_chat_messages where id = v_delivery.message_id;
  select t.kind into v_kind from public.project_chat_threads t where t.id = v_source.thread_id;

  if v_kind = 'team_room' then
    select coalesce((s.value ->> 'agent_posts_per_hour')::integer, 20) into v_limit
    from public.project_settings s where s.project_id = v_delivery.project_id and s.key = 'team_room';
    v_limit := coalesce(v_limit, 20);
    select count(*) into v_recent
    from public.project_chat_messages m
    where m.thread_id = v_source.thread_id and m.author_agent_key = v_delivery.agent_key and m.created_at > now() - interval '1 hour';
    if v_recent >= v_limit then
      return jsonb_build_object('delivery_id', p_delivery_id, 'ok', false, 'code', 'P0001',
        'error', format('Agent %s reached its Team Room posting limit (%s posts per hour)', v_delivery.agent_key, v_limit),
        'hint', 'Raise team_room.agent_posts_per_hour in Settings, or DM the agent instead.');
    end if;
  end if;

  insert into public.project_chat_messages (project_id, thread_id, author_type, author_agent_key, content, metadata, reply_to, status)
  values (v_delivery.project_id, v_source.thread_id, 'agent', v_delivery.agent_key, p_reply, coalesce(p_metadata, '{}'::jsonb), v_source.id, 'sent')
  returning * into v_reply;

  update public.chat_delivery_queue
  set status = 'processed', completed_at = now(), result = jsonb_build_object('reply_message_id', v_reply.id)
  where id = p_delivery_id;

  update public.project_chat_messages set status = 'read' where id = v_source.id and status in ('sent', 'delivered', 'failed');

  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (v_delivery.project_id, 'agent', v_delivery.agent_key, 'chat.replied',
          v_delivery.agent_key || ' replied in ' || case when v_kind = 'team_room' then 'the Team Room' else 'a DM' end,
          jsonb_build_object('message_id', v_reply.id, 'thread_id', v_source.thread_id));
  return jsonb_build_object('delivery_id', p_delivery_id, 'ok', true, 'message', to_jsonb(v_reply));
end;
$$;
comment on function public.save_chat_reply(uuid, text, text, jsonb) is 'Executor only: writes one reply (see complete_chat_delivery) and answers {ok, message} or {ok: false, code, error, hint} instead of raising.';
revoke all on function public.save_chat_reply(uuid, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.save_chat_reply(uuid, text, text, jsonb) to service_role;

create or replace function public.complete_chat_delivery(p_delivery_id uuid, p_executor_id text, p_reply text, p_metadata jsonb default '{}'::jsonb)
returns public.project_chat_messages
language plpgsql
set search_path = ''
as $$
declare
  v_result jsonb := public.save_chat_reply(p_delivery_id, p_executor_id, p_reply, p_metadata);
begin
  if not (v_result ->> 'ok')::boolean and v_result ->> 'hint' is null then
    raise exception '%', v_result ->> 'error' using errcode = v_result ->> 'code';
  elsif not (v_result ->> 'ok')::boolean then
    raise exception '%', v_result ->> 'error' using errcode = v_result ->> 'code', hint = v_result ->> 'hint';
  end if;
  return jsonb_populate_record(null::public.project_chat_messages, v_result -> 'message');
end;
$$;
comment on function public.complete_chat_delivery(uuid, text, text, jsonb) is 'Executor only: writes the agent''s reply, marks the delivery processed and the source message read, in one transaction. Refuses when the executor no longer holds the claim.';
revoke all on function public.complete_chat_delivery(uuid, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.complete_chat_delivery(uuid, text, text, jsonb) to service_role;

create or replace function public.complete_chat_deliveries(
  p_executor_id text,
  p_replies jsonb,
  p_claim_limit integer default 0,
  p_history_limit integer default 20
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_item record;
  v_saved jsonb := '[]'::jsonb;
begin
  if jsonb_typeof(p_replies) is distinct from 'array' then
    raise exception 'p_replies must be a JSON array of {delivery_id, reply, metadata}' using errcode = '22023';
  end if;
  if jsonb_array_length(p_replies) > 500 then
    raise exception 'At most 500 replies per call (got %)', jsonb_array_length(p_replies)
      using errcode = '22023', hint = 'Split the batch.';
  end if;
  -- The deliveries and their source messages are locked first, in one order (message, then
  -- delivery), so two executors saving replies to the same Team Room messages do not deadlock (a
  -- deadlock with a concurrent claim marking those messages delivered is still possible; the
  -- executor sends the batch again). No key update: replies to these messages can still be inserted
  -- meanwhile. The replies are then saved in the order given, so an earlier one counts against a
  -- later one's Team Room limit.
  perform 1
  from public.chat_delivery_queue d
  join public.project_chat_messages m on m.id = d.message_id
  where d.id = any (array(select (e ->> 'delivery_id')::uuid from jsonb_array_elements(p_replies) e))
  order by m.id, d.id
  for no key update of d, m;
  for v_item in
    select (e.value ->> 'delivery_id')::uuid as delivery_id, e.value ->> 'reply' as reply, e.value -> 'metadata' as metadata
    from jsonb_array_elements(p_replies) with ordinality as e(value, ord)
    order by e.ord
  loop
    if v_item.reply is null then
      v_saved := v_saved || jsonb_build_array(jsonb_build_object('delivery_id', v_item.delivery_id, 'ok', false, 'code', '22023',
        'error', 'A reply needs its text in "reply"', 'hint', null));
    else
      v_saved := v_saved || jsonb_build_array(public.save_chat_reply(v_item.delivery_id, p_executor_id, v_item.reply, v_item.metadata));
    end if;
  end loop;
  return jsonb_build_object(
    'saved', v_saved,
    'claimed', case when coalesce(p_claim_limit, 0) > 0
      then public.claim_chat_delivery_batch(p_executor_id, p_claim_limit, null, p_history_limit)
      else '[]'::jsonb end
  );
end;
$$;
comment on function public.complete_chat_deliveries(text, jsonb, integer, integer) is 'Executor only: complete_chat_delivery for each {delivery_id, reply, metadata} of p_replies, then claims up to p_claim_limit more (claim_chat_delivery_batch), in one transaction. Answers {saved: [{delivery_id, ok, message | code, error, hint}], claimed: [{delivery, context}]}; a refused reply does not undo the others.';
revoke all on function public.complete_chat_deliveries(text, jsonb, integer, integer) from public, anon, authenticated;
grant execute on function public.complete_chat_deliveries(text, jsonb, integer, integer) to service_role;

-- Replies are found by the message they answer, and deleting a message (or a whole project) sets
-- reply_to null in its replies: without this index each deleted message scanned the whole table.
create index if not exists project_chat_messages_reply_to_idx on public.project_chat_messages (reply_to) where reply_to is not null;

-- /health counts queued, in-flight and failed deliveries on every check; the first two have
-- partial indexes already, and failed ones are few, so counting them should not scan the queue's history.
create index if not exists chat_delivery_queue_failed_idx on public.chat_delivery_queue (completed_at) where status = 'failed';

-- release_chat_deliveries can also hand back only the deliveries an executor holds without running
-- them: when the answer to a claim is lost (a timeout after the commit), they stay claimed, and the
-- worker releases them instead of leaving them to the watchdog, which would fail them. Such a
-- release keeps the attempt counted and leaves a delivery with no attempts left to the watchdog, so
-- a message that makes the executor crash cannot come back forever under a reused EXECUTOR_ID.
drop function if exists public.release_chat_deliveries(text);
create function public.release_chat_deliveries(p_executor_id text, p_running uuid[] default null, p_claimed_more_than_ms integer default null)
returns integer
language sql
set search_path = ''
as $$
  with released as (
    update public.chat_delivery_queue
    set status = 'queued', claimed_by = null, picked_up_at = null,
        attempts = case when p_running is null then greatest(attempts - 1, 0) else attempts end
    where status = 'delivered' and claimed_by = p_executor_id
      and (p_running is null or (id <> all (p_running) and attempts < max_attempts))
      and (p_claimed_more_than_ms is null or picked_up_at < now() - make_interval(secs => p_claimed_more_than_ms / 1000.0))
    returning 1
  )
  select count(*)::integer from released
$$;
comment on function public.release_chat_deliveries(text, uuid[], integer) is 'Executor only: puts its deliveries back in the queue. On graceful shutdown (no p_running) all of them, without counting the attempt; with p_running only those claimed more than p_claimed_more_than_ms ago that are not running and have attempts left (claims whose answer was lost), keeping the attempt counted.';
revoke all on function public.release_chat_deliveries(text, uuid[], integer) from public, anon, authenticated;
grant execute on function public.release_chat_deliveries(text, uuid[], integer) to service_role;
