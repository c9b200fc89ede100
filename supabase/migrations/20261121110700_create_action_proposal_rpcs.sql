-- Approval operations as RPCs, each one transaction: operators resolve; the executor claims with
-- skip-locked (re-checking status, approver and params hash), finishes, and its watchdog fails
-- what is stuck mid-action (never re-run) and expires what nobody decided.

create or replace function public.resolve_action_proposal(
  p_proposal_id uuid,
  p_decision text,
  p_comment text default null,
  p_params jsonb default null
)
returns public.action_proposals
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_proposal public.action_proposals;
  v_params jsonb;
begin
  if p_decision is null or p_decision not in ('approve', 'reject') then
    raise exception 'Unknown decision "%"', p_decision using errcode = '22023', hint = 'Use approve or reject.';
  end if;
  select * into v_proposal from public.action_proposals where id = p_proposal_id for update;
  if not found or not public.has_project_role(v_proposal.project_id, array['owner', 'operator', 'viewer']) then
    raise exception 'Action proposal % not found', p_proposal_id using errcode = 'P0002';
  end if;
  if not public.has_project_role(v_proposal.project_id, array['owner', 'operator']) then
    raise exception 'Only operators and owners of this project can approve or reject proposals'
      using errcode = '42501', hint = 'Ask an owner to give you the operator role.';
  end if;
  if p_params is not null and (p_decision <> 'approve' or jsonb_typeof(p_params) <> 'object') then
    raise exception 'Edited params must be a JSON object, and only come with an approval' using errcode = '22023';
  end if;
  if p_decision = 'reject' and coalesce(btrim(p_comment), '') = '' then
    raise exception 'A rejection needs a comment' using errcode = '22023', hint = 'Say what to change: the agent reads it to revise the proposal.';
  end if;

  if v_proposal.status = 'proposed' and v_proposal.expires_at <= now() then
    -- Too late to approve or reject: record that it expired (kept, so no exception) and say so by the status.
    update public.action_proposals set status = 'expired', resolved_at = now() where id = p_proposal_id
    returning * into v_proposal;
    return v_proposal;
  end if;

  if v_proposal.status <> 'proposed' then
    -- A repeated click is a no-op: the same decision (and the same params) returns the row as it is.
    if v_proposal.status = 'expired'
       or (p_decision = 'reject' and v_proposal.status = 'rejected')
       or (p_decision = 'approve' and v_proposal.approved_params_hash is not null
           and (p_params is null or public.action_params_hash(p_params) = v_proposal.approved_params_hash)) then
      return v_proposal;
    end if;
    raise exception 'Action proposal % is already %', p_proposal_id, v_proposal.status
      using errcode = '55000', hint = 'Reload: someone else resolved it. To change the action, ask the agent for a revision.';
  end if;

  perform set_config('mission_control.resolving_proposal', p_proposal_id::text, true);
  if p_decision = 'approve' then
    v_params := coalesce(p_params, v_proposal.params);
    update public.action_proposals
    set status = 'approved', params = v_params, approved_params_hash = public.action_params_hash(v_params),
        resolved_by = auth.uid(), resolved_at = now(), resolution_comment = nullif(btrim(p_comment), '')
    where id = p_proposal_id
    returning * into v_proposal;
  else
    update public.action_proposals
    set status = 'rejected', resolved_by = auth.uid(), resolved_at = now(), resolution_comment = btrim(p_comment)
    where id = p_proposal_id
    returning * into v_proposal;
  end if;
  perform set_config('mission_control.resolving_proposal', '', true);
  return v_proposal;
end;
$$;
comment on function public.resolve_action_proposal(uuid, text, text, jsonb) is 'Operators and owners: approve (optionally with edited params p_params, which get a new hash the approval is bound to) or reject (a comment is required) a proposed action, recording who and when. Idempotent: repeating the same decision returns the row unchanged. Past expires_at the proposal is marked expired and returned with status expired instead of being approved.';
revoke all on function public.resolve_action_proposal(uuid, text, text, jsonb) from public, anon;
grant execute on function public.resolve_action_proposal(uuid, text, text, jsonb) to authenticated;

create or replace function public.claim_approved_proposals(p_executor_id text, p_limit integer default 10, p_proposal_id uuid default null)
returns setof public.action_proposals
language plpgsql
set search_path = ''
as $$
declare
  v_row public.action_proposals;
begin
  if coalesce(btrim(p_executor_id), '') = '' then
    raise exception 'claim_approved_proposals needs the executor id' using errcode = '22023';
  end if;
  for v_row in
    select * from public.action_proposals p
    where p.status = 'approved'
      and (p_proposal_id is null or p.id = p_proposal_id)
    order by p.resolved_at, p.created_at
    for update skip locked
    limit greatest(1, least(coalesce(p_limit, 10), 100))
  loop
    if v_row.approved_params_hash is distinct from v_row.params_hash
       or v_row.approved_params_hash is distinct from public.action_params_hash(v_row.params) then
      update public.action_proposals
      set status = 'failed', finished_at = now(), error = 'params changed after approval'
      where id = v_row.id;
    elsif v_row.resolved_by is null or not exists (
      select 1 from public.project_members m
      where m.project_id = v_row.project_id and m.user_id = v_row.resolved_by and m.role in ('owner', 'operator')
    ) then
      update public.action_proposals
      set status = 'failed', finished_at = now(), error = 'approver is no longer an operator or owner of the project'
      where id = v_row.id;
    else
      update public.action_proposals
      set status = 'executing', claimed_by = p_executor_id, execution_started_at = now()
      where id = v_row.id
      returning * into v_row;
      return next v_row;
    end if;
  end loop;
end;
$$;
comment on function public.claim_approved_proposals(text, integer, uuid) is 'Executor only: claims up to p_limit approved proposals (oldest approval first; only p_proposal_id when given, for immediate pickup after an approval) with for update skip locked, so two executors never take the same one. Re-checks each: params must still hash to approved_params_hash (else failed "params changed after approval") and the approver must still be an operator or owner (else failed); the rest become executing, claimed by p_executor_id, and are returned.';
revoke all on function public.claim_approved_proposals(text, integer, uuid) from public, anon, authenticated;
grant execute on function public.claim_approved_proposals(text, integer, uuid) to service_role;

create or replace function public.finish_action_proposal(
  p_proposal_id uuid,
  p_executor_id text,
  p_ok boolean,
  p_result jsonb default null,
  p_error text default null
)
returns public.action_proposals
language plpgsql
set search_path = ''
as $$
declare
  v_proposal public.action_proposals;
begin
  select * into v_proposal from public.action_proposals where id = p_proposal_id for update;
  if not found then
    raise exception 'Action proposal % does not exist', p_proposal_id using errcode = 'P0002';
  end if;
  -- A retried finish after a lost response returns the recorded outcome.
  if v_proposal.status in ('executed', 'failed') and v_proposal.claimed_by is not distinct from p_executor_id
     and (v_proposal.status = 'executed') = coalesce(p_ok, false) then
    return v_proposal;
  end if;
  if v_proposal.status <> 'executing' or v_proposal.claimed_by is distinct from p_executor_id then
    raise exception 'Action proposal % is not being executed by executor % (it is %)', p_proposal_id, p_executor_id, v_proposal.status
      using errcode = '40001', hint = 'The watchdog failed it as outcome unknown, or another executor holds it; record nothing and check the action''s effect by hand.';
  end if;
  update public.action_proposals
  set status = case when p_ok then 'executed' else 'failed' end,
      finished_at = now(),
      execution_result = p_result,
      error = case when p_ok then null else coalesce(nullif(btrim(p_error), ''), 'failed without an error message') end
  where id = p_proposal_id
  returning * into v_proposal;
  return v_proposal;
end;
$$;
comment on function public.finish_action_proposal(uuid, text, boolean, jsonb, text) is 'Executor only: records the outcome of a proposal it is executing (executed with p_result, or failed with p_error). Only the claiming executor, only from executing; repeating the same outcome returns the row.';
revoke all on function public.finish_action_proposal(uuid, text, boolean, jsonb, text) from public, anon, authenticated;
grant execute on function public.finish_action_proposal(uuid, text, boolean, jsonb, text) to service_role;

create or replace function public.fail_unknown_outcome_proposals(p_stuck_after interval)
returns setof public.action_proposals
language sql
set search_path = ''
as $$
  update public.action_proposals
  set status = 'failed', finished_at = now(), error = 'outcome unknown: check before retrying'
  where status = 'executing' and execution_started_at < now() - p_stuck_after
  returning *
$$;
comment on function public.fail_unknown_outcome_proposals(interval) is 'Watchdog (executor only): fails proposals executing for longer than p_stuck_after with "outcome unknown: check before retrying". They are never run again automatically: the executor may have died mid-action.';
revoke all on function public.fail_unknown_outcome_proposals(interval) from public, anon, authenticated;
grant execute on function public.fail_unknown_outcome_proposals(interval) to service_role;

create or replace function public.expire_action_proposals()
returns setof public.action_proposals
language sql
set search_path = ''
as $$
  update public.action_proposals
  set status = 'expired', resolved_at = now()
  where status = 'proposed' and expires_at <= now()
  returning *
$$;
comment on function public.expire_action_proposals() is 'Watchdog (executor only): marks proposals nobody decided before expires_at as expired, and returns them (each also writes its approval_resolved event and activity).';
revoke all on function public.expire_action_proposals() from public, anon, authenticated;
grant execute on function public.expire_action_proposals() to service_role;
