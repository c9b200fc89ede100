-- Everything the executor needs to answer one delivery, in one round trip: the message, its
-- thread, the agent's profile, the project mission, the agent's own docs and the thread history.

create index if not exists project_chat_messages_thread_created_idx
  on public.project_chat_messages (thread_id, created_at desc);
comment on index public.project_chat_messages_thread_created_idx is 'Thread history in time order (seq is renewed on updates, so it does not give the chronology).';

create or replace function public.load_chat_delivery_context(p_delivery_id uuid, p_history_limit integer default 20)
returns jsonb
language sql
stable
set search_path = ''
as $$
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
$$;
comment on function public.load_chat_delivery_context(uuid, integer) is 'Executor only: the message of a delivery with its thread, the agent (null when it was removed), the project mission, the agent''s docs and the last p_history_limit messages before it (oldest first), as one JSON document. Null when the delivery or message is gone.';
revoke all on function public.load_chat_delivery_context(uuid, integer) from public, anon, authenticated;
grant execute on function public.load_chat_delivery_context(uuid, integer) to service_role;
