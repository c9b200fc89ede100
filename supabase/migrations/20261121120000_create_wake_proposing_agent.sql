-- Every outcome of an action proposal wakes the agent that proposed it, in the same transaction
-- as the outcome: a system message in the task thread (task:<id>) or the agent's DM thread, and a
-- chat_delivery_queue row for that agent. The delivery worker then runs the agent, which can
-- revise (a rejected proposal comes back with the operator's comment and the params it had).

create or replace function public.wake_proposing_agent() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_agent text := new.proposed_by_agent_key;
  v_kind text := case when new.task_id is not null then 'task' else 'dm' end;
  v_thread_key text := case when new.task_id is not null then 'task:' || new.task_id else 'DM:' || new.proposed_by_agent_key end;
  v_thread_id uuid;
  v_message_id uuid;
  v_quote text;
  v_text text;
begin
  -- Only enabled agents of the project can be woken; a removed agent's outcome stays in the feed.
  if not exists (select 1 from public.agents a where a.project_id = new.project_id and a.agent_key = v_agent and a.enabled) then
    return null;
  end if;

  insert into public.project_chat_threads (project_id, kind, thread_key, agent_key, title)
  values (
    new.project_id, v_kind, v_thread_key, case when v_kind = 'dm' then v_agent end,
    case when v_kind = 'dm' then 'DM with ' || v_agent
         else coalesce((select left(t.title, 200) from public.tasks t where t.id = new.task_id), 'Task') end
  )
  on conflict (project_id, thread_key) do nothing;
  select t.id into v_thread_id from public.project_chat_threads t where t.project_id = new.project_id and t.thread_key = v_thread_key;

  -- The proposal as the agent needs it to revise: canonical JSON on one line (jsonb::text).
  v_quote := jsonb_strip_nulls(jsonb_build_object(
    'proposal_id', new.id, 'action_type', new.action_type, 'params', new.params, 'status', new.status,
    'comment', new.resolution_comment, 'error', new.error, 'result', new.execution_result))::text;
  if length(v_quote) > 16000 then
    v_quote := jsonb_build_object('proposal_id', new.id, 'action_type', new.action_type, 'status', new.status,
      'comment', new.resolution_comment, 'error', new.error, 'note', 'params too long to quote')::text;
  end if;

  v_text := 'Proposal ' || new.id || ' (' || new.action_type || ') ' || case new.status
      when 'executed' then 'was approved and executed.'
      when 'rejected' then 'was rejected by an operator.' || coalesce(E'\nComment: ' || nullif(btrim(new.resolution_comment), ''), '')
        || E'\nRevise it to address the comment and reply with exactly one fenced proposal block (```proposal with JSON: action_type, params, summary, risk, reversibility, rollback_plan), or say why it should not be done.'
      when 'expired' then 'expired without a decision and was not run. Propose it again if it is still needed.'
      else 'failed: ' || coalesce(new.error, 'no reason given') || '.'
        || case when new.error like 'outcome unknown%' then ' Check its effect before proposing it again.' else '' end
    end
    || E'\n```json\n' || v_quote || E'\n```';

  insert into public.project_chat_messages (project_id, thread_id, author_type, target_agent_keys, message_type, content, metadata)
  values (
    new.project_id, v_thread_id, 'system', array[v_agent], 'system', left(v_text, 20000),
    jsonb_strip_nulls(jsonb_build_object('kind', 'proposal_outcome', 'proposal_id', new.id, 'status', new.status,
                                         'action_type', new.action_type, 'task_id', new.task_id))
  )
  returning id into v_message_id;

  insert into public.chat_delivery_queue (project_id, message_id, agent_key)
  values (new.project_id, v_message_id, v_agent);
  return null;
end;
$$;
comment on function public.wake_proposing_agent() is 'Trigger on action_proposals: when a proposal ends (executed, rejected, expired, failed), posts a system message describing the outcome (with the proposal as JSON) to the proposing agent in the task thread, else its DM thread, and queues its delivery, so the agent is woken and can revise.';
revoke all on function public.wake_proposing_agent() from public, anon, authenticated;

create trigger action_proposals_wake_proposing_agent after update on public.action_proposals
  for each row when (old.status is distinct from new.status and new.status in ('executed', 'rejected', 'expired', 'failed'))
  execute function public.wake_proposing_agent();
