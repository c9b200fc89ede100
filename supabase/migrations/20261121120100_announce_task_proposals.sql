-- Agents propose tasks in the Team Room as task_proposal messages: a create_task proposal with a
-- chat thread is announced with message_type task_proposal, every other action as
-- action_proposal. Agents still cannot create tasks directly: the task exists once an operator
-- approves and the executor runs the proposal.

create or replace function public.announce_action_proposal() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_text text := coalesce(nullif(btrim(new.summary), ''), 'Proposes ' || new.action_type);
  v_card jsonb := jsonb_build_object('proposal_id', new.id, 'action_type', new.action_type, 'risk', new.risk,
                                     'params_hash', new.params_hash, 'expires_at', new.expires_at, 'revision_of', new.revision_of);
begin
  if new.task_id is not null then
    insert into public.task_events (project_id, task_id, kind, author_type, author_agent_key, content, metadata, proposal_id)
    values (new.project_id, new.task_id, 'approval_request', 'agent', new.proposed_by_agent_key, v_text, v_card, new.id);
  end if;
  if new.thread_id is not null then
    insert into public.project_chat_messages (project_id, thread_id, author_type, author_agent_key, message_type, content, metadata)
    values (new.project_id, new.thread_id, 'agent', new.proposed_by_agent_key,
            case when new.action_type = 'create_task' then 'task_proposal' else 'action_proposal' end, v_text, v_card);
  end if;
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (new.project_id, 'agent', new.proposed_by_agent_key, 'approval.proposed',
          left(new.proposed_by_agent_key || ' proposes ' || new.action_type || ' (' || new.risk || ' risk): ' || v_text, 1000),
          jsonb_strip_nulls(jsonb_build_object('proposal_id', new.id, 'task_id', new.task_id, 'thread_id', new.thread_id)));
  return null;
end;
$$;
comment on function public.announce_action_proposal() is 'Trigger on action_proposals: a new proposal appears as an approval_request card in its task thread and as a chat message in its chat thread (task_proposal for create_task, action_proposal otherwise; both carry proposal_id), and in the activity feed.';
revoke all on function public.announce_action_proposal() from public, anon, authenticated;
