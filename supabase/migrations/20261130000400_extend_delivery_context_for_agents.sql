-- The delivery pipeline learns about profiles, connections and budgets. A claimed delivery's
-- context carries what the executor needs to resolve the agent's effective settings without another
-- round trip (the project's agent_defaults, the provider connections the resolution could pick with
-- their encrypted keys, whether any budget applies), and a saved reply can carry the record of the
-- provider call that produced it, written in the same transaction. Both stay on the hot path's
-- rules: one statement per delivery for the context, and the call upsert only when a reply has one.

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
      'agent', case when a.id is null then null else to_jsonb(a) end,
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
      ), '[]'::jsonb),
      'agent_defaults', s.value,
      -- Every connection the resolution could pick: the agent's, the project default's and the
      -- run override's (ids that are not uuids are ignored here; the executor reports them).
      'connections', case when coalesce(a.provider_connection_id, ids.from_defaults, ids.from_override) is null then '[]'::jsonb else coalesce((
        select jsonb_agg(to_jsonb(c) || jsonb_build_object('ciphertext', k.ciphertext) order by c.id)
        from public.provider_connections c
        left join public.provider_connection_secrets k on k.connection_id = c.id
        where c.id in (a.provider_connection_id, ids.from_defaults, ids.from_override) and c.project_id = d.project_id
      ), '[]'::jsonb) end,
      'budgets_apply', exists (
        select 1 from public.budgets g
        where g.project_id = d.project_id and (g.agent_id is null or g.agent_id = a.id)
      )
    )
    from public.chat_delivery_queue d
    join public.project_chat_messages m on m.id = d.message_id
    join public.project_chat_threads t on t.id = m.thread_id
    left join public.agents a on a.project_id = d.project_id and a.agent_key = d.agent_key
    left join public.project_settings s on s.project_id = d.project_id and s.key = 'agent_defaults'
    cross join lateral (
      select
        case when s.value ->> 'provider_connection_id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
          then (s.value ->> 'provider_connection_id')::uuid end as from_defaults,
        case when m.metadata -> 'settings_override' ->> 'provider_connection_id' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
          then (m.metadata -> 'settings_override' ->> 'provider_connection_id')::uuid end as from_override
    ) ids
    where d.id = p_delivery_id
  );
end;
$$;
comment on function public.load_chat_delivery_context(uuid, integer) is 'Executor only: the message of a delivery with its thread, the agent (null when it was removed), the project mission, the agent''s docs, the last p_history_limit messages before it (oldest first), the project''s agent_defaults (null when unset), connections (the provider_connections rows the settings resolution could pick: the agent''s, agent_defaults'' and the message''s settings_override''s, each with its ciphertext or null) and budgets_apply (a budget covers the project or this agent), as one JSON document. Null when the delivery or message is gone.';

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
  v_result jsonb;
  v_saved jsonb := '[]'::jsonb;
begin
  if jsonb_typeof(p_replies) is distinct from 'array' then
    raise exception 'p_replies must be a JSON array of {delivery_id, reply, metadata, call?}' using errcode = '22023';
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
    select (e.value ->> 'delivery_id')::uuid as delivery_id, e.value ->> 'reply' as reply, e.value -> 'metadata' as metadata,
           e.value -> 'call' as call
    from jsonb_array_elements(p_replies) with ordinality as e(value, ord)
    order by e.ord
  loop
    if v_item.reply is null then
      v_result := jsonb_build_object('delivery_id', v_item.delivery_id, 'ok', false, 'code', '22023',
        'error', 'A reply needs its text in "reply"', 'hint', null);
    else
      v_result := public.save_chat_reply(v_item.delivery_id, p_executor_id, v_item.reply, v_item.metadata);
    end if;
    -- The provider call was made (and spent) whether or not its reply could be saved.
    if jsonb_typeof(v_item.call) = 'object' then
      perform public.record_provider_call(case when v_result ->> 'code' = 'P0002'
        -- The delivery is gone: the call is still recorded, without it.
        then v_item.call - 'delivery_id'
        else jsonb_strip_nulls(jsonb_build_object(
          'delivery_id', v_item.delivery_id,
          'project_id', v_result -> 'message' ->> 'project_id',
          'agent_key', v_result -> 'message' ->> 'author_agent_key'
        )) || v_item.call end);
    end if;
    v_saved := v_saved || jsonb_build_array(v_result);
  end loop;
  return jsonb_build_object(
    'saved', v_saved,
    'claimed', case when coalesce(p_claim_limit, 0) > 0
      then public.claim_chat_delivery_batch(p_executor_id, p_claim_limit, null, p_history_limit)
      else '[]'::jsonb end
  );
end;
$$;
comment on function public.complete_chat_deliveries(text, jsonb, integer, integer) is 'Executor only: save_chat_reply for each {delivery_id, reply, metadata, call?} of p_replies, then claims up to p_claim_limit more (claim_chat_delivery_batch), in one transaction. A reply''s call (the provider call that produced it, as for record_provider_call; delivery_id, project_id and agent_key default to the delivery''s) is recorded in the same transaction, even when the reply is refused. Answers {saved: [{delivery_id, ok, message | code, error, hint}], claimed: [{delivery, context}]}; a refused reply does not undo the others.';
