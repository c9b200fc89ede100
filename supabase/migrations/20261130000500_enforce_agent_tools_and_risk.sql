-- The last line behind the executor's own check: an agent may only propose the actions its
-- profile enables (tools_enabled), up to the risk it tolerates (low < medium < high).

create or replace function public.check_proposal_within_agent_profile() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_tools text[];
  v_tolerance text;
begin
  select a.tools_enabled, a.risk_tolerance into v_tools, v_tolerance
  from public.agents a
  where a.project_id = new.project_id and a.agent_key = new.proposed_by_agent_key;
  -- An agent that no longer exists has no profile to hold it to; its proposal is checked like any other.
  if not found then
    return new;
  end if;
  if not (new.action_type = any (v_tools)) then
    raise exception '@% may not use % (its tools: %); an operator can enable it on the agent''s page',
      new.proposed_by_agent_key, new.action_type, coalesce(nullif(array_to_string(v_tools, ', '), ''), 'none')
      using errcode = '23514', hint = 'Add the tool to the agent''s tools enabled, or propose an action it may use.';
  end if;
  if array_position(array['low', 'medium', 'high'], new.risk) > array_position(array['low', 'medium', 'high'], v_tolerance) then
    raise exception '@% may propose actions up to % risk; this % proposal is % risk', new.proposed_by_agent_key, v_tolerance, new.action_type, new.risk
      using errcode = '23514', hint = 'An operator can raise the agent''s risk tolerance on its page.';
  end if;
  return new;
end;
$$;
comment on function public.check_proposal_within_agent_profile() is 'Trigger on action_proposals: refuses (check_violation, with a sentence) a proposal whose action is not in the proposing agent''s tools_enabled or whose risk is above its risk_tolerance (low < medium < high). Proposals of agents that no longer exist pass.';
revoke all on function public.check_proposal_within_agent_profile() from public, anon, authenticated;

create trigger action_proposals_check_agent_profile before insert on public.action_proposals
  for each row execute function public.check_proposal_within_agent_profile();
