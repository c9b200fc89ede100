-- Approvals whose executor died mid-action are reconciled instead of failed as "outcome unknown"
-- when the action can check its own effect: create_task, schedule_job and send_message insert a
-- row whose id is derived from the proposal; file_write compares the file's sha-256 with the
-- hashes recorded before the write; edit_doc compares the doc's versions with the base version
-- recorded before the save. Only api_call (and apply_changeset, whose steps are not checkable
-- one by one) still ends "outcome unknown".
--
-- How: before the effect, the executor records its intent (record_action_intent). When the
-- watchdog finds a proposal stuck (fail_unknown_outcome_proposals) or claimed by a dead executor
-- (request_reconcile_of_dead_executors), a checkable one is marked due for reconciliation instead
-- of being failed. An approval worker claims it (claim_proposals_to_reconcile, for update skip
-- locked: one reconciler at a time), checks the effect and records executed, failed, or runs the
-- action once more when it provably did not happen (retried_at is stamped first, so never twice),
-- with finish_reconciled_proposal. The original claimant's late finish is refused from the moment
-- reconciliation is due, so only one of them records the outcome. The proposal row keeps its
-- claimed_by (the state machine freezes it); the checkpoint row says who reconciled.

create table public.action_proposal_checkpoints (
  proposal_id uuid primary key references public.action_proposals (id) on delete cascade,
  project_id uuid not null references public.projects (id) on delete cascade,
  intent jsonb check (intent is null or jsonb_typeof(intent) = 'object'),
  intent_recorded_by text,
  intent_recorded_at timestamptz,
  reconcile_due_at timestamptz,
  reconcile_reason text,
  reconciled_by text,
  reconcile_claimed_at timestamptz,
  reconcile_count integer not null default 0 check (reconcile_count >= 0),
  retried_at timestamptz,
  decision text
);
comment on table public.action_proposal_checkpoints is 'Executor only: what an approved action recorded before changing anything (intent: file hashes, doc base version), and its reconciliation after a crash (due, claimed by which executor, how often, whether it was run again once, the decision sentence).';
alter table public.action_proposal_checkpoints enable row level security;
revoke all on public.action_proposal_checkpoints from public, anon, authenticated;
grant all on public.action_proposal_checkpoints to service_role;
create index action_proposal_checkpoints_due_idx on public.action_proposal_checkpoints (reconcile_due_at) where reconcile_due_at is not null;

create or replace function public.action_is_reconcilable(p_action_type text) returns boolean
language sql
immutable
set search_path = ''
as $$
  select p_action_type in ('create_task', 'schedule_job', 'send_message', 'file_write', 'edit_doc')
$$;
comment on function public.action_is_reconcilable(text) is 'Action types whose effect the executor can check after a crash (derived row id, file hash, doc version). api_call and apply_changeset are not.';

-- Reconciling a proposal more than this often (each reconciler died too) ends it outcome unknown.
create or replace function public.action_reconcile_limit() returns integer
language sql
immutable
set search_path = ''
as $$ select 2 $$;

create or replace function public.record_action_intent(p_proposal_id uuid, p_executor_id text, p_intent jsonb, p_retry boolean default false)
returns boolean
language plpgsql
set search_path = ''
as $$
declare
  v_proposal public.action_proposals;
  v_checkpoint public.action_proposal_checkpoints;
begin
  select * into v_proposal from public.action_proposals where id = p_proposal_id for update;
  if not found then
    raise exception 'Action proposal % does not exist', p_proposal_id using errcode = 'PT404';
  end if;
  select * into v_checkpoint from public.action_proposal_checkpoints where proposal_id = p_proposal_id for update;
  if v_proposal.status <> 'executing' then
    return false;
  end if;
  if p_retry then
    -- Only the reconciler holding the claim, and only once.
    if v_checkpoint.reconciled_by is distinct from p_executor_id or v_checkpoint.reconcile_due_at is not null
       or v_checkpoint.retried_at is not null then
      return false;
    end if;
    update public.action_proposal_checkpoints
    set intent = p_intent, intent_recorded_by = p_executor_id, intent_recorded_at = now(), retried_at = now()
    where proposal_id = p_proposal_id;
    return true;
  end if;
  if v_proposal.claimed_by is distinct from p_executor_id or v_checkpoint.reconcile_due_at is not null
     or v_checkpoint.reconciled_by is not null then
    return false;
  end if;
  insert into public.action_proposal_checkpoints (proposal_id, project_id, intent, intent_recorded_by, intent_recorded_at)
  values (p_proposal_id, v_proposal.project_id, p_intent, p_executor_id, now())
  on conflict (proposal_id) do update
    set intent = excluded.intent, intent_recorded_by = excluded.intent_recorded_by, intent_recorded_at = excluded.intent_recorded_at;
  return true;
end;
$$;
comment on function public.record_action_intent(uuid, text, jsonb, boolean) is 'Executor only: records what an action is about to change (file hashes, doc base version) before it changes anything, for the claimant (p_retry false) or for the reconciler running it again once (p_retry true, stamps retried_at). Answers false, recording nothing, when the caller must not run the action (claim lost, reconciliation due, already retried).';
revoke all on function public.record_action_intent(uuid, text, jsonb, boolean) from public, anon, authenticated;
grant execute on function public.record_action_intent(uuid, text, jsonb, boolean) to service_role;

-- Marks executing proposals due for reconciliation (they stay executing).
create or replace function public.mark_proposals_for_reconcile(p_ids uuid[], p_reason text)
returns void
language sql
set search_path = ''
as $$
  insert into public.action_proposal_checkpoints (proposal_id, project_id, reconcile_due_at, reconcile_reason)
  select p.id, p.project_id, now(), p_reason from public.action_proposals p where p.id = any (p_ids)
  on conflict (proposal_id) do update
    set reconcile_due_at = now(), reconcile_reason = excluded.reconcile_reason, reconciled_by = null, reconcile_claimed_at = null
$$;
revoke all on function public.mark_proposals_for_reconcile(uuid[], text) from public, anon, authenticated;

-- fail_unknown_outcome_proposals: from 20261121110700_create_action_proposal_rpcs.sql. Checkable
-- actions stuck mid-action are handed to reconciliation instead (once due they are not stuck:
-- a reconciler claims them); what is left, or was reconciled too often, fails as before.
create or replace function public.fail_unknown_outcome_proposals(p_stuck_after interval)
returns setof public.action_proposals
language plpgsql
set search_path = ''
as $$
declare
  v_reconcile uuid[];
begin
  select coalesce(array_agg(p.id), '{}') into v_reconcile
  from public.action_proposals p
  left join public.action_proposal_checkpoints c on c.proposal_id = p.id
  where p.status = 'executing' and public.action_is_reconcilable(p.action_type)
    and c.reconcile_due_at is null
    and coalesce(c.reconcile_claimed_at, p.execution_started_at) < now() - p_stuck_after
    and coalesce(c.reconcile_count, 0) < public.action_reconcile_limit();
  perform public.mark_proposals_for_reconcile(v_reconcile, 'stuck mid-action for longer than ' || p_stuck_after::text);

  return query
  update public.action_proposals p
  set status = 'failed', finished_at = now(),
      error = case when public.action_is_reconcilable(p.action_type)
                   then 'outcome unknown: reconciling it failed ' || public.action_reconcile_limit() || ' times; check before retrying'
                   else 'outcome unknown: check before retrying' end
  where p.status = 'executing' and not (p.id = any (v_reconcile))
    and coalesce((select c.reconcile_claimed_at from public.action_proposal_checkpoints c where c.proposal_id = p.id), p.execution_started_at)
        < now() - p_stuck_after
    and not exists (select 1 from public.action_proposal_checkpoints c where c.proposal_id = p.id and c.reconcile_due_at is not null)
  returning p.*;
end;
$$;
comment on function public.fail_unknown_outcome_proposals(interval) is 'Watchdog (executor only): proposals executing for longer than p_stuck_after (the executor may have died mid-action) are handed to reconciliation when their action can check its effect (action_is_reconcilable, fewer than action_reconcile_limit() reconciliations), else failed with "outcome unknown: check before retrying" and never run again automatically. Answers the failed rows.';

create or replace function public.request_reconcile_of_dead_executors(p_dead_after interval)
returns setof public.action_proposals
language plpgsql
set search_path = ''
as $$
declare
  v_reconcile uuid[];
  v_fail uuid[];
begin
  if p_dead_after is null or p_dead_after < interval '1 second' then
    raise exception 'p_dead_after must be at least one second (three heartbeat intervals is usual)' using errcode = '22023';
  end if;
  -- The executor holding the work (the reconciler when there is one) is dead.
  with dead as (
    select p.id, public.action_is_reconcilable(p.action_type) and coalesce(c.reconcile_count, 0) < public.action_reconcile_limit() as reconcilable
    from public.action_proposals p
    left join public.action_proposal_checkpoints c on c.proposal_id = p.id
    join public.executor_presence x on x.id = coalesce(c.reconciled_by, p.claimed_by)
    where p.status = 'executing' and c.reconcile_due_at is null
      and (x.stopped_at is not null or x.last_seen_at < now() - p_dead_after)
  )
  select coalesce(array_agg(d.id) filter (where d.reconcilable), '{}'), coalesce(array_agg(d.id) filter (where not d.reconcilable), '{}')
  into v_reconcile, v_fail
  from dead d;
  perform public.mark_proposals_for_reconcile(v_reconcile, 'its executor died mid-action');
  return query
  update public.action_proposals p
  set status = 'failed', finished_at = now(),
      error = case when public.action_is_reconcilable(p.action_type)
                   then 'outcome unknown: reconciling it failed ' || public.action_reconcile_limit() || ' times; check before retrying'
                   else 'outcome unknown: check before retrying' end
  where p.id = any (v_fail) and p.status = 'executing'
  returning p.*;
end;
$$;
comment on function public.request_reconcile_of_dead_executors(interval) is 'Executor only (the watchdog, and each executor at start): proposals executing under an executor whose presence row says it stopped, or whose last heartbeat is older than p_dead_after, are handed to reconciliation when their action can check its effect, else failed as "outcome unknown: check before retrying" at once. Claims of executors without a presence row are left to fail_unknown_outcome_proposals. Answers the failed rows.';
revoke all on function public.request_reconcile_of_dead_executors(interval) from public, anon, authenticated;
grant execute on function public.request_reconcile_of_dead_executors(interval) to service_role;

create or replace function public.claim_proposals_to_reconcile(p_executor_id text, p_limit integer default 10, p_project_ids uuid[] default null)
returns setof public.action_proposals
language plpgsql
set search_path = ''
as $$
begin
  if coalesce(btrim(p_executor_id), '') = '' then
    raise exception 'claim_proposals_to_reconcile needs the executor id' using errcode = '22023';
  end if;
  return query
  with picked as (
    select c.proposal_id
    from public.action_proposal_checkpoints c
    join public.action_proposals p on p.id = c.proposal_id
    where c.reconcile_due_at is not null and p.status = 'executing'
      and (p_project_ids is null or cardinality(p_project_ids) = 0 or c.project_id = any (p_project_ids))
    order by c.reconcile_due_at
    for update of c, p skip locked
    limit greatest(1, least(coalesce(p_limit, 10), 100))
  ),
  claimed as (
    update public.action_proposal_checkpoints c
    set reconcile_due_at = null, reconciled_by = p_executor_id, reconcile_claimed_at = now(), reconcile_count = c.reconcile_count + 1
    from picked where c.proposal_id = picked.proposal_id
    returning c.proposal_id
  )
  select p.* from public.action_proposals p join claimed on claimed.proposal_id = p.id;
end;
$$;
comment on function public.claim_proposals_to_reconcile(text, integer, uuid[]) is 'Executor only: claims up to p_limit proposals due for reconciliation (for update skip locked: one reconciler each), counting the attempt. The proposal stays executing with its original claimed_by; the reconciler finishes it with finish_reconciled_proposal.';
revoke all on function public.claim_proposals_to_reconcile(text, integer, uuid[]) from public, anon, authenticated;
grant execute on function public.claim_proposals_to_reconcile(text, integer, uuid[]) to service_role;

create or replace function public.finish_reconciled_proposal(
  p_proposal_id uuid,
  p_executor_id text,
  p_ok boolean,
  p_decision text,
  p_result jsonb default null,
  p_error text default null
)
returns public.action_proposals
language plpgsql
set search_path = ''
as $$
declare
  v_proposal public.action_proposals;
  v_checkpoint public.action_proposal_checkpoints;
begin
  if coalesce(btrim(p_decision), '') = '' then
    raise exception 'Say in a sentence what reconciliation found' using errcode = '22023';
  end if;
  select * into v_proposal from public.action_proposals where id = p_proposal_id for update;
  if not found then
    raise exception 'Action proposal % does not exist', p_proposal_id using errcode = 'PT404';
  end if;
  select * into v_checkpoint from public.action_proposal_checkpoints where proposal_id = p_proposal_id for update;
  if v_proposal.status in ('executed', 'failed') and v_checkpoint.reconciled_by is not distinct from p_executor_id
     and v_checkpoint.decision is not distinct from p_decision then
    return v_proposal;
  end if;
  if v_proposal.status <> 'executing' or v_checkpoint.reconciled_by is distinct from p_executor_id
     or v_checkpoint.reconcile_due_at is not null then
    raise exception 'Action proposal % is not being reconciled by executor % (it is %)', p_proposal_id, p_executor_id, v_proposal.status
      using errcode = 'PT409', hint = 'Another executor reconciles it now, or it was finished; record nothing.';
  end if;
  update public.action_proposal_checkpoints set decision = p_decision where proposal_id = p_proposal_id;
  update public.action_proposals
  set status = case when p_ok then 'executed' else 'failed' end,
      finished_at = now(),
      execution_result = p_result,
      error = case when p_ok then null else coalesce(nullif(btrim(p_error), ''), p_decision) end
  where id = p_proposal_id
  returning * into v_proposal;
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (v_proposal.project_id, 'system', p_executor_id, 'approval.reconciled',
          left('Reconciled ' || v_proposal.action_type || ' after a crash: ' || p_decision, 1000),
          jsonb_build_object('proposal_id', v_proposal.id, 'status', v_proposal.status, 'claimed_by', v_proposal.claimed_by,
                             'reconciled_by', p_executor_id, 'retried', v_checkpoint.retried_at is not null));
  return v_proposal;
end;
$$;
comment on function public.finish_reconciled_proposal(uuid, text, boolean, text, jsonb, text) is 'Executor only: the reconciler holding the claim records what it found (p_decision, a sentence) as executed with the result or failed with the reason, plus an approval.reconciled activity. Repeating the same decision returns the recorded row; anyone else gets PT409.';
revoke all on function public.finish_reconciled_proposal(uuid, text, boolean, text, jsonb, text) from public, anon, authenticated;
grant execute on function public.finish_reconciled_proposal(uuid, text, boolean, text, jsonb, text) to service_role;

-- finish_action_proposal: from 20261202030100_raise_http_status_codes.sql; refuses the original
-- claimant once reconciliation is due or under way, so the outcome is recorded once.
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
    raise exception 'Action proposal % does not exist', p_proposal_id using errcode = 'PT404';
  end if;
  -- A retried finish after a lost response returns the recorded outcome.
  if v_proposal.status in ('executed', 'failed') and v_proposal.claimed_by is not distinct from p_executor_id
     and (v_proposal.status = 'executed') = coalesce(p_ok, false)
     and not exists (select 1 from public.action_proposal_checkpoints c where c.proposal_id = p_proposal_id and c.reconciled_by is not null) then
    return v_proposal;
  end if;
  if v_proposal.status <> 'executing' or v_proposal.claimed_by is distinct from p_executor_id
     or exists (select 1 from public.action_proposal_checkpoints c
                where c.proposal_id = p_proposal_id and (c.reconcile_due_at is not null or c.reconciled_by is not null)) then
    raise exception 'Action proposal % is not being executed by executor % (it is %)', p_proposal_id, p_executor_id, v_proposal.status
      using errcode = 'PT409', hint = 'The watchdog failed it as outcome unknown or handed it to reconciliation, or another executor holds it; record nothing.';
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
