-- Step-up approvals (issue 14): a project can require a second factor (an aal2 session, from
-- verifying a TOTP code) to approve high-risk proposals. project_settings key `approvals`
-- ({"require_second_factor_for_high_risk": bool}, ZApprovalSettings in shared), changed by owners
-- only; resolve_action_proposal refuses such an approval at aal1.

create or replace function public.is_approval_settings(doc jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select jsonb_typeof(doc) = 'object'
    and not exists (select 1 from jsonb_object_keys(doc) as k(key) where k.key <> 'require_second_factor_for_high_risk')
    and (not doc ? 'require_second_factor_for_high_risk' or jsonb_typeof(doc -> 'require_second_factor_for_high_risk') = 'boolean')
$$;
comment on function public.is_approval_settings(jsonb) is 'True when the document has the shape of project_settings.approvals (ZApprovalSettings): only require_second_factor_for_high_risk, a boolean, optional.';
revoke all on function public.is_approval_settings(jsonb) from public, anon;
grant execute on function public.is_approval_settings(jsonb) to authenticated, service_role;

alter table public.project_settings
  add constraint approval_settings_are_valid check (key <> 'approvals' or public.is_approval_settings(value));
comment on table public.project_settings is 'Project settings as key -> jsonb: labs_features (feature flags), team_room (posting limits), agent_defaults (the model settings every agent inherits), runs (test command, test timeout, max iterations and max steps of runs), approvals (whether approving a high-risk action needs a second factor; owners only).';

create or replace function public.guard_owner_only_settings() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_row public.project_settings := case when tg_op = 'DELETE' then old else new end;
begin
  -- Operators may change most settings; turning step-up approvals off would let them skip it.
  -- A cascade from deleting the project (already gone) is not a change of the setting.
  if v_row.key = 'approvals' and coalesce(auth.role(), '') not in ('service_role', '')
     and not public.has_project_role(v_row.project_id, array['owner'])
     and exists (select 1 from public.projects p where p.id = v_row.project_id) then
    raise exception 'Only owners of this project can change the approval settings'
      using errcode = '42501', hint = 'Ask an owner to change whether high-risk approvals need a second factor.';
  end if;
  if tg_op = 'UPDATE' and old.key = 'approvals' and new.key <> 'approvals' then
    raise exception 'The approvals setting cannot be renamed' using errcode = '22023';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end;
$$;
comment on function public.guard_owner_only_settings() is 'Trigger on project_settings: only owners (or the service role, or SQL without a request) may insert, change or delete the approvals key; deleting the project removes it anyway.';

create trigger project_settings_guard_owner_only before insert or update or delete on public.project_settings
  for each row execute function public.guard_owner_only_settings();

create or replace function public.approval_requires_second_factor(p_project_id uuid) returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce((
    select (s.value ->> 'require_second_factor_for_high_risk')::boolean
    from public.project_settings s
    where s.project_id = p_project_id and s.key = 'approvals'
  ), false)
$$;
comment on function public.approval_requires_second_factor(uuid) is 'True when the project requires an aal2 session to approve high-risk proposals (project_settings.approvals). Off unless set. Runs with the caller''s rights: false for a project the caller cannot read.';
revoke all on function public.approval_requires_second_factor(uuid) from public, anon;
grant execute on function public.approval_requires_second_factor(uuid) to authenticated, service_role;

-- resolve_action_proposal: from 20261202030100_raise_http_status_codes.sql, plus the step-up check
-- before approving a high-risk proposal.
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
    raise exception 'Action proposal % not found', p_proposal_id using errcode = 'PT404';
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
      using errcode = 'PT409', hint = 'Reload: someone else resolved it. To change the action, ask the agent for a revision.';
  end if;

  -- Step-up: with the project's setting on, a high-risk approval needs a session that verified a
  -- second factor (aal2 in the JWT). Rejections, low and medium risk, and the service role are not affected.
  if p_decision = 'approve' and v_proposal.risk = 'high'
     and coalesce(auth.role(), '') <> 'service_role'
     and public.approval_requires_second_factor(v_proposal.project_id)
     and coalesce(auth.jwt() ->> 'aal', 'aal1') <> 'aal2' then
    raise exception 'This project asks for a second factor on high-risk actions: verify your second factor to approve high-risk actions'
      using errcode = '42501',
            hint = 'Enter the 6-digit code of your authenticator app when approving (set one up in Settings > Security), then approve again.';
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
comment on function public.resolve_action_proposal(uuid, text, text, jsonb) is 'Operators and owners: approve (optionally with edited params p_params, which get a new hash the approval is bound to) or reject (a comment is required) a proposed action, recording who and when. Idempotent: repeating the same decision returns the row unchanged. Past expires_at the proposal is marked expired and returned with status expired instead of being approved. When project_settings.approvals.require_second_factor_for_high_risk is on, approving a high-risk proposal needs an aal2 session (403 otherwise).';
