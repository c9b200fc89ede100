-- The operator re-routes a Team Room message: send_chat_message routed it (route_agent) or it
-- named one agent, and the operator picks another agent to answer it instead.
--
-- The old agent's delivery is cancelled only while it still waits in the queue: the delivery state
-- machine's own cancel (queued -> failed, the transition the watchdog uses) with an error that says
-- why. A delivery is a record of what was asked of whom, so it is not deleted; one an executor has
-- already picked up is left alone (that agent answers too: it started before the re-route).

create or replace function public.reroute_chat_message(p_message_id uuid, p_agent_key text)
returns public.project_chat_messages
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_message public.project_chat_messages;
  v_thread_kind text;
  v_from text;
begin
  -- The row lock serialises two re-routes of one message (a double click, two operators).
  select * into v_message from public.project_chat_messages where id = p_message_id for no key update;
  if not found or not public.has_project_role(v_message.project_id) then
    raise exception 'Message % not found', p_message_id
      using errcode = 'P0002', hint = 'Re-route a message of the Team Room of a project you are a member of.';
  end if;
  if not public.has_project_role(v_message.project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can re-route messages'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  select t.kind into v_thread_kind from public.project_chat_threads t where t.id = v_message.thread_id;
  if v_thread_kind is distinct from 'team_room' or v_message.author_type <> 'user' then
    raise exception 'Only an operator''s message in the Team Room can be re-routed'
      using errcode = '22023', hint = 'A DM already goes to its agent: to ask another agent, message it or mention it with @.';
  end if;
  if v_message.metadata ? 'command' then
    raise exception 'This message is a /% command: it started a run, not a chat reply', v_message.metadata ->> 'command'
      using errcode = '22023', hint = 'Hand the run over with /handoff @agent <note>, or from the task page.';
  end if;
  if p_agent_key is null or p_agent_key !~ '^[a-z][a-z0-9_-]{0,31}$' then
    raise exception 'Re-route the message to an agent by its key (got "%")', p_agent_key
      using errcode = '22023', hint = 'An agent key is lower-case letters, digits, _ or -, such as backend.';
  end if;
  if not exists (
    select 1 from public.agents a where a.project_id = v_message.project_id and a.agent_key = p_agent_key and a.enabled
  ) then
    raise exception 'There is no enabled agent @% in this project', p_agent_key
      using errcode = 'P0002', hint = 'Pick an agent from the roster, or enable it on the Agents page.';
  end if;

  -- Who answers it now: the agent of the last re-route, else its one recipient (a message that
  -- named several agents has no single one to take it from: the new agent is added).
  v_from := coalesce(
    v_message.metadata #>> '{rerouted,to}',
    case when cardinality(v_message.target_agent_keys) = 1 then v_message.target_agent_keys[1] end
  );
  -- Idempotent: the message already goes to that agent.
  if v_from = p_agent_key
     and exists (select 1 from public.chat_delivery_queue d where d.message_id = p_message_id and d.agent_key = p_agent_key) then
    return v_message;
  end if;

  if v_from is not null then
    update public.chat_delivery_queue
    set status = 'failed', completed_at = now(),
        error = 'Re-routed to @' || p_agent_key || ' before @' || v_from || ' started on it'
    where message_id = p_message_id and agent_key = v_from and status = 'queued';
  end if;

  -- One delivery per (message, agent): a re-route back to an agent whose delivery was cancelled
  -- (or failed) queues that delivery again, as a retry would.
  insert into public.chat_delivery_queue (project_id, message_id, agent_key)
  values (v_message.project_id, p_message_id, p_agent_key)
  on conflict (message_id, agent_key) do nothing;
  update public.chat_delivery_queue
  set status = 'queued', attempts = 0, available_at = now(), error = null, claimed_by = null, picked_up_at = null, completed_at = null
  where message_id = p_message_id and agent_key = p_agent_key and status = 'failed';

  update public.project_chat_messages
  set target_agent_keys = case when p_agent_key = any (target_agent_keys) then target_agent_keys else target_agent_keys || p_agent_key end,
      metadata = metadata || jsonb_build_object(
        'rerouted', jsonb_build_object('from', v_from, 'to', p_agent_key, 'by', auth.uid(), 'at', now())
      ),
      status = case when status = 'failed' then 'sent' else status end
  where id = p_message_id
  returning * into v_message;
  return v_message;
end;
$$;
comment on function public.reroute_chat_message(uuid, text) is 'Operators and owners: sends an operator''s Team Room message (not a /command) to another enabled agent. Queues a delivery for that agent (re-queues it when it had failed or was cancelled), cancels the previous agent''s delivery while it is still queued (queued -> failed, "Re-routed to @x before @y started on it"; one already picked up is left to finish), appends the agent to target_agent_keys and records metadata.rerouted {from, to, by, at}. The previous agent is the last re-route''s, else the message''s only recipient. Idempotent: re-routing to the agent it already goes to changes nothing. Errors: 42501 not an operator, 22023 not an operator''s Team Room message or a command, P0002 no such message or enabled agent.';
revoke all on function public.reroute_chat_message(uuid, text) from public, anon, service_role;
grant execute on function public.reroute_chat_message(uuid, text) to authenticated;
