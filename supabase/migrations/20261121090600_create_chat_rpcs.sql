-- Chat operations as RPCs, each one transaction: sending writes the message and its deliveries
-- together (outbox first); the executor claims with skip-locked, completes, fails or releases;
-- operators retry; the watchdog fails work that is stuck.

create or replace function public.labs_feature_enabled(target_project uuid, feature text)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select coalesce((
    select (s.value ->> feature)::boolean
    from public.project_settings s
    where s.project_id = target_project and s.key = 'labs_features'
  ), false)
$$;
comment on function public.labs_feature_enabled(uuid, text) is 'True when the project has turned the labs feature on in project_settings.labs_features.';
grant execute on function public.labs_feature_enabled(uuid, text) to authenticated, service_role;

create or replace function public.send_chat_message(
  p_project_id uuid,
  p_thread_key text,
  p_content text,
  p_message_id uuid default null,
  p_target_agent_keys text[] default null
)
returns public.project_chat_messages
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_message public.project_chat_messages;
  v_thread_id uuid;
  v_kind text;
  v_agent_key text;
  v_targets text[];
begin
  if not public.has_project_role(p_project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can send messages'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  if p_content is null or length(btrim(p_content)) = 0 then
    raise exception 'A message needs some text' using errcode = '22023';
  end if;

  -- The client picks the id, so a resend after a lost response returns the same message.
  if p_message_id is not null then
    select * into v_message from public.project_chat_messages where id = p_message_id;
    if found then
      if v_message.project_id <> p_project_id then
        raise exception 'Message id % belongs to another project', p_message_id using errcode = '23505';
      end if;
      return v_message;
    end if;
  end if;

  if p_thread_key = 'team-room' then
    v_kind := 'team_room';
    if not public.labs_feature_enabled(p_project_id, 'team_room') then
      raise exception 'The Team Room is a labs feature that is off in this project'
        using errcode = '42501', hint = 'Turn it on in Settings -> Labs.';
    end if;
    if p_target_agent_keys is not null and cardinality(p_target_agent_keys) > 0 then
      v_targets := p_target_agent_keys;
    else
      select array_agg(distinct m[1]) into v_targets
      from regexp_matches(p_content, '@([a-z][a-z0-9_-]{0,31})', 'g') as m;
    end if;
    select array_agg(a.agent_key order by a.agent_key) into v_targets
    from public.agents a
    where a.project_id = p_project_id and a.enabled and a.agent_key = any (coalesce(v_targets, '{}'));
    if v_targets is null then
      -- Nobody mentioned: the lead answers (the agent keyed 'lead', else the oldest enabled agent).
      select array[a.agent_key] into v_targets
      from public.agents a
      where a.project_id = p_project_id and a.enabled
      order by (a.agent_key = 'lead') desc, a.created_at
      limit 1;
    end if;
  elsif p_thread_key like 'DM:%' then
    v_kind := 'dm';
    v_agent_key := substr(p_thread_key, 4);
    if not public.labs_feature_enabled(p_project_id, 'dms') then
      raise exception 'Direct messages are a labs feature that is off in this project'
        using errcode = '42501', hint = 'Turn it on in Settings -> Labs.';
    end if;
    if not exists (select 1 from public.agents a where a.project_id = p_project_id and a.agent_key = v_agent_key and a.enabled) then
      raise exception 'There is no enabled agent "%" in this project', v_agent_key
        using errcode = 'P0002', hint = 'Pick an agent from the roster, or enable it on the Agents page.';
    end if;
    v_targets := array[v_agent_key];
  else
    raise exception 'Unknown thread "%"', p_thread_key
      using errcode = '22023', hint = 'Use team-room or DM:<agent_key>.';
  end if;

  insert into public.project_chat_threads (project_id, kind, thread_key, agent_key, title)
  values (p_project_id, v_kind, p_thread_key, v_agent_key, case when v_kind = 'team_room' then 'Team Room' else 'DM with ' || v_agent_key end)
  on conflict (project_id, thread_key) do nothing;
  select t.id into v_thread_id from public.project_chat_threads t where t.project_id = p_project_id and t.thread_key = p_thread_key;

  insert into public.project_chat_messages (id, project_id, thread_id, author_type, author_user_id, target_agent_keys, content)
  values (coalesce(p_message_id, extensions.gen_random_uuid()), p_project_id, v_thread_id, 'user', auth.uid(), coalesce(v_targets, '{}'), p_content)
  returning * into v_message;

  insert into public.chat_delivery_queue (project_id, message_id, agent_key)
  select p_project_id, v_message.id, t from unnest(coalesce(v_targets, '{}')) as t;

  return v_message;
end;
$$;
comment on function public.send_chat_message(uuid, text, text, uuid, text[]) is 'Sends an operator message to the Team Room or a DM and queues one delivery per target agent, in one transaction. Idempotent by p_message_id.';
revoke all on function public.send_chat_message(uuid, text, text, uuid, text[]) from public, anon;
grant execute on function public.send_chat_message(uuid, text, text, uuid, text[]) to authenticated;

create or replace function public.claim_chat_deliveries(p_executor_id text, p_limit integer default 10, p_message_id uuid default null)
returns setof public.chat_delivery_queue
language sql
set search_path = ''
as $$
  with picked as (
    select d.id
    from public.chat_delivery_queue d
    where d.status = 'queued'
      and d.available_at <= now()
      and (p_message_id is null or d.message_id = p_message_id)
    order by d.available_at, d.created_at
    for update skip locked
    limit greatest(1, least(p_limit, 500))
  ),
  claimed as (
    update public.chat_delivery_queue d
    set status = 'delivered', attempts = d.attempts + 1, picked_up_at = now(), claimed_by = p_executor_id, error = null
    from picked
    where d.id = picked.id
    returning d.*
  ),
  marked as (
    update public.project_chat_messages m set status = 'delivered'
    where m.id in (select message_id from claimed) and m.status = 'sent'
  )
  select * from claimed
$$;
comment on function public.claim_chat_deliveries(text, integer, uuid) is 'Executor only: claims up to p_limit queued deliveries (or those of one message) with for update skip locked, so two executors never take the same one.';
revoke all on function public.claim_chat_deliveries(text, integer, uuid) from public, anon, authenticated;
grant execute on function public.claim_chat_deliveries(text, integer, uuid) to service_role;

create or replace function public.complete_chat_delivery(p_delivery_id uuid, p_executor_id text, p_reply text, p_metadata jsonb default '{}'::jsonb)
returns public.project_chat_messages
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
    raise exception 'Delivery % does not exist', p_delivery_id using errcode = 'P0002';
  end if;
  if v_delivery.status <> 'delivered' or v_delivery.claimed_by is distinct from p_executor_id then
    raise exception 'Delivery % is no longer claimed by executor % (it is %)', p_delivery_id, p_executor_id, v_delivery.status
      using errcode = '40001', hint = 'The watchdog or another executor took it over; drop this reply.';
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
      raise exception 'Agent % reached its Team Room posting limit (% posts per hour)', v_delivery.agent_key, v_limit
        using errcode = 'P0001', hint = 'Raise team_room.agent_posts_per_hour in Settings, or DM the agent instead.';
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
  return v_reply;
end;
$$;
comment on function public.complete_chat_delivery(uuid, text, text, jsonb) is 'Executor only: writes the agent''s reply, marks the delivery processed and the source message read, in one transaction. Refuses when the executor no longer holds the claim.';
revoke all on function public.complete_chat_delivery(uuid, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.complete_chat_delivery(uuid, text, text, jsonb) to service_role;

create or replace function public.fail_chat_delivery(p_delivery_id uuid, p_executor_id text, p_error text, p_retry_after_ms integer default null)
returns public.chat_delivery_queue
language plpgsql
set search_path = ''
as $$
declare
  v_delivery public.chat_delivery_queue;
begin
  select * into v_delivery from public.chat_delivery_queue where id = p_delivery_id for update;
  if not found or v_delivery.status <> 'delivered' or v_delivery.claimed_by is distinct from p_executor_id then
    return null;
  end if;
  if p_retry_after_ms is not null and v_delivery.attempts < v_delivery.max_attempts then
    update public.chat_delivery_queue
    set status = 'queued', available_at = now() + make_interval(secs => p_retry_after_ms / 1000.0), error = p_error, claimed_by = null
    where id = p_delivery_id
    returning * into v_delivery;
  else
    update public.chat_delivery_queue
    set status = 'failed', completed_at = now(), error = p_error
    where id = p_delivery_id
    returning * into v_delivery;
    update public.project_chat_messages set status = 'failed' where id = v_delivery.message_id and status in ('sent', 'delivered');
    insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
    values (v_delivery.project_id, 'system', 'executor', 'chat.delivery_failed',
            'Delivery to ' || v_delivery.agent_key || ' failed: ' || left(p_error, 300),
            jsonb_build_object('delivery_id', v_delivery.id, 'message_id', v_delivery.message_id));
  end if;
  return v_delivery;
end;
$$;
comment on function public.fail_chat_delivery(uuid, text, text, integer) is 'Executor only: after an error, requeues the delivery after p_retry_after_ms while attempts remain, else fails it with the reason.';
revoke all on function public.fail_chat_delivery(uuid, text, text, integer) from public, anon, authenticated;
grant execute on function public.fail_chat_delivery(uuid, text, text, integer) to service_role;

create or replace function public.release_chat_deliveries(p_executor_id text)
returns integer
language sql
set search_path = ''
as $$
  with released as (
    update public.chat_delivery_queue
    set status = 'queued', attempts = greatest(attempts - 1, 0), claimed_by = null, picked_up_at = null
    where status = 'delivered' and claimed_by = p_executor_id
    returning 1
  )
  select count(*)::integer from released
$$;
comment on function public.release_chat_deliveries(text) is 'Executor only, on graceful shutdown: puts its unfinished deliveries back in the queue without counting the attempt.';
revoke all on function public.release_chat_deliveries(text) from public, anon, authenticated;
grant execute on function public.release_chat_deliveries(text) to service_role;

create or replace function public.retry_chat_delivery(p_delivery_id uuid)
returns public.chat_delivery_queue
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_delivery public.chat_delivery_queue;
begin
  select * into v_delivery from public.chat_delivery_queue where id = p_delivery_id for update;
  if not found or not public.has_project_role(v_delivery.project_id, array['owner', 'operator']) then
    raise exception 'Delivery % not found, or you may not retry it', p_delivery_id
      using errcode = '42501', hint = 'Only operators and owners of the project can retry deliveries.';
  end if;
  -- A second click finds it queued (or already running) and changes nothing: one new attempt.
  if v_delivery.status <> 'failed' then
    return v_delivery;
  end if;
  update public.chat_delivery_queue
  set status = 'queued', attempts = 0, available_at = now(), error = null, claimed_by = null, picked_up_at = null, completed_at = null
  where id = p_delivery_id
  returning * into v_delivery;
  update public.project_chat_messages set status = 'sent' where id = v_delivery.message_id and status = 'failed';
  return v_delivery;
end;
$$;
comment on function public.retry_chat_delivery(uuid) is 'Operators: queues a failed delivery again. Idempotent: retrying a delivery that is not failed changes nothing.';
revoke all on function public.retry_chat_delivery(uuid) from public, anon;
grant execute on function public.retry_chat_delivery(uuid) to authenticated;

create or replace function public.fail_stuck_chat_deliveries(p_stuck_after interval, p_executor_started_at timestamptz default now())
returns setof public.chat_delivery_queue
language plpgsql
set search_path = ''
as $$
declare
  v_row public.chat_delivery_queue;
begin
  for v_row in
    update public.chat_delivery_queue d
    set status = 'failed', completed_at = now(),
        error = case d.status
          when 'delivered' then 'Stuck after pickup for more than ' || p_stuck_after || ': the executor may have died mid-delivery. Retry it.'
          else 'Waited in the queue for more than ' || p_stuck_after || ' while an executor was running. Retry it.'
        end
    where (d.status = 'delivered' and d.picked_up_at < now() - p_stuck_after)
       or (d.status = 'queued' and greatest(d.available_at, p_executor_started_at) < now() - p_stuck_after)
    returning d.*
  loop
    update public.project_chat_messages set status = 'failed' where id = v_row.message_id and status in ('sent', 'delivered');
    insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
    values (v_row.project_id, 'system', 'watchdog', 'chat.delivery_failed', 'Delivery to ' || v_row.agent_key || ' failed: ' || v_row.error,
            jsonb_build_object('delivery_id', v_row.id, 'message_id', v_row.message_id));
    return next v_row;
  end loop;
end;
$$;
comment on function public.fail_stuck_chat_deliveries(interval, timestamptz) is 'Watchdog (executor only): fails deliveries claimed longer than p_stuck_after ago, and queued ones that waited that long while an executor (started at p_executor_started_at) was running.';
revoke all on function public.fail_stuck_chat_deliveries(interval, timestamptz) from public, anon, authenticated;
grant execute on function public.fail_stuck_chat_deliveries(interval, timestamptz) to service_role;
