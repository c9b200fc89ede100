-- Approvals: a proposed action is a durable row whose state machine is enforced here, for every
-- role: proposed -> approved | rejected | expired; approved -> executing -> executed | failed
-- (approved -> failed when the claim finds the params changed). Operators resolve through
-- resolve_action_proposal(); only the executor (service role) marks executing / executed / failed.

create or replace function public.action_params_hash(params jsonb) returns text
language sql
immutable
set search_path = ''
as $$
  select encode(sha256(convert_to(params::text, 'UTF8')), 'hex')
$$;
comment on function public.action_params_hash(jsonb) is 'sha256 (hex) of the canonical text of the params (jsonb::text: keys sorted, whitespace normalised). What an approval is bound to.';

create table public.action_proposals (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  action_type text not null check (action_type in ('create_task', 'schedule_job', 'edit_doc', 'send_message', 'api_call', 'file_write')),
  summary text not null default '' check (length(summary) <= 500),
  params jsonb not null check (jsonb_typeof(params) = 'object'),
  params_hash text not null default '',
  risk text not null check (risk in ('low', 'medium', 'high')),
  blast_radius text not null default '' check (length(blast_radius) <= 2000),
  reversibility text not null check (reversibility in ('reversible', 'partial', 'irreversible')),
  rollback_plan text not null default '' check (length(rollback_plan) <= 5000),
  expires_at timestamptz not null default now() + interval '24 hours',
  proposed_by_agent_key text not null check (proposed_by_agent_key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  task_id uuid,
  thread_id uuid references public.project_chat_threads (id) on delete set null,
  revision_of uuid references public.action_proposals (id) on delete set null,
  status text not null default 'proposed' check (status in ('proposed', 'approved', 'rejected', 'expired', 'executing', 'executed', 'failed')),
  resolved_by uuid references auth.users (id) on delete set null,
  resolved_at timestamptz,
  resolution_comment text check (length(resolution_comment) <= 5000),
  approved_params_hash text,
  claimed_by text,
  execution_started_at timestamptz,
  finished_at timestamptz,
  execution_result jsonb,
  error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  foreign key (task_id, project_id) references public.tasks (id, project_id) on delete set null (task_id),
  constraint action_proposals_approval_is_bound check (status not in ('approved', 'executing', 'executed') or (approved_params_hash is not null and resolved_at is not null)),
  constraint action_proposals_execution_is_claimed check (status not in ('executing', 'executed') or (claimed_by is not null and execution_started_at is not null)),
  constraint action_proposals_finish_is_recorded check (status not in ('executed', 'failed') or finished_at is not null),
  constraint action_proposals_failure_has_reason check (status <> 'failed' or error is not null)
);
comment on table public.action_proposals is 'Actions agents propose (create_task, schedule_job, edit_doc, send_message, api_call, file_write) with params (validated per type by ZActionProposalParams in shared) and params_hash = action_params_hash(params), risk, blast radius, reversibility, rollback plan and expiry. State machine (enforced by trigger): proposed -> approved | rejected | expired -> executing -> executed | failed. An approval is bound to approved_params_hash; the executor runs only when params still hash to it. Appears as a card in its task thread (task_events approval_request) or chat thread (an action_proposal message), linked by id.';
comment on column public.action_proposals.seq is 'Live sequence (public.live_seq), renewed on every write.';
comment on column public.action_proposals.approved_params_hash is 'The params hash the approver saw (after an edit, the edited params): the executor refuses to run when params no longer hash to it.';
alter table public.action_proposals enable row level security;
revoke all on public.action_proposals from anon;
revoke insert, update, delete, truncate on public.action_proposals from authenticated;
create index action_proposals_project_status_idx on public.action_proposals (project_id, status, created_at);
create index action_proposals_project_seq_idx on public.action_proposals (project_id, seq desc);
create index action_proposals_approved_idx on public.action_proposals (resolved_at) where status = 'approved';
create index action_proposals_executing_idx on public.action_proposals (execution_started_at) where status = 'executing';
create index action_proposals_expiring_idx on public.action_proposals (expires_at) where status = 'proposed';
create index action_proposals_task_idx on public.action_proposals (task_id) where task_id is not null;

alter table public.task_events
  add constraint task_events_proposal_id_fkey foreign key (proposal_id) references public.action_proposals (id);

create policy "Members can read their project's action proposals"
  on public.action_proposals for select to authenticated
  using ((select public.has_project_role(project_id)));

create trigger action_proposals_stamp_live_row before insert or update on public.action_proposals
  for each row execute function public.stamp_live_row();
create trigger action_proposals_touch_updated_at before update on public.action_proposals
  for each row execute function public.touch_updated_at();

create or replace function public.check_action_proposal_insert() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status <> 'proposed' or new.resolved_by is not null or new.resolved_at is not null or new.resolution_comment is not null
     or new.approved_params_hash is not null or new.claimed_by is not null or new.execution_started_at is not null
     or new.finished_at is not null or new.execution_result is not null or new.error is not null then
    raise exception 'A new action proposal starts as proposed, unresolved and unclaimed'
      using errcode = '23514', hint = 'Insert only the proposal; operators resolve it through resolve_action_proposal().';
  end if;
  if new.thread_id is not null and not exists (select 1 from public.project_chat_threads t where t.id = new.thread_id and t.project_id = new.project_id) then
    raise exception 'Chat thread % is not in project %', new.thread_id, new.project_id using errcode = '23503';
  end if;
  if new.revision_of is not null and not exists (select 1 from public.action_proposals p where p.id = new.revision_of and p.project_id = new.project_id) then
    raise exception 'Proposal % (revised) is not in project %', new.revision_of, new.project_id using errcode = '23503';
  end if;
  new.params_hash := public.action_params_hash(new.params);
  return new;
end;
$$;
comment on function public.check_action_proposal_insert() is 'Trigger on action_proposals: a new proposal is proposed and unresolved, its thread and revised proposal are in the same project; computes params_hash.';

create trigger action_proposals_check_insert before insert on public.action_proposals
  for each row execute function public.check_action_proposal_insert();

create or replace function public.check_action_proposal_update() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_resolving boolean := coalesce(current_setting('mission_control.resolving_proposal', true), '') = new.id::text;
  v_allowed boolean;
begin
  if current_user in ('anon', 'authenticated') then
    raise exception 'Action proposals cannot be changed directly'
      using errcode = '42501', hint = 'Approve or reject through resolve_action_proposal(); the executor records the outcome.';
  end if;
  if new.id <> old.id or new.project_id <> old.project_id or new.action_type <> old.action_type
     or new.proposed_by_agent_key <> old.proposed_by_agent_key or new.created_at <> old.created_at
     or new.expires_at <> old.expires_at or new.risk <> old.risk or new.reversibility <> old.reversibility
     or new.blast_radius <> old.blast_radius or new.rollback_plan <> old.rollback_plan or new.summary <> old.summary
     or (new.task_id is distinct from old.task_id and new.task_id is not null)
     or (new.thread_id is distinct from old.thread_id and new.thread_id is not null)
     or (new.revision_of is distinct from old.revision_of and new.revision_of is not null) then
    raise exception 'Action proposal % is immutable apart from its status and outcome', old.id
      using errcode = '23514', hint = 'Propose a revision (revision_of) instead of changing a proposal.';
  end if;
  if new.params is distinct from old.params and not (old.status = 'proposed' and new.status = 'approved') then
    raise exception 'The params of action proposal % can only change in the approval that is bound to them', old.id
      using errcode = '23514', hint = 'Use resolve_action_proposal(id, ''approve'', comment, edited params).';
  end if;
  new.params_hash := public.action_params_hash(new.params);

  v_allowed := case
    when old.status = new.status then
      new.approved_params_hash is not distinct from old.approved_params_hash
      and new.resolved_by is not distinct from old.resolved_by and new.resolved_at is not distinct from old.resolved_at
      and new.resolution_comment is not distinct from old.resolution_comment and new.claimed_by is not distinct from old.claimed_by
      and new.execution_started_at is not distinct from old.execution_started_at and new.finished_at is not distinct from old.finished_at
      and new.execution_result is not distinct from old.execution_result and new.error is not distinct from old.error
    when old.status = 'proposed' and new.status = 'approved' then
      v_resolving and new.expires_at > now() and new.approved_params_hash = new.params_hash and new.claimed_by is null
    when old.status = 'proposed' and new.status = 'rejected' then
      v_resolving and new.approved_params_hash is null and new.claimed_by is null
    when old.status = 'proposed' and new.status = 'expired' then
      new.expires_at <= now() and new.approved_params_hash is null and new.claimed_by is null
    when old.status = 'approved' and new.status = 'executing' then
      new.approved_params_hash = old.approved_params_hash and new.approved_params_hash = new.params_hash
      and new.resolved_by is not distinct from old.resolved_by and new.resolved_at = old.resolved_at
    when old.status = 'approved' and new.status = 'failed' then
      new.approved_params_hash = old.approved_params_hash and new.resolved_by is not distinct from old.resolved_by
    when old.status = 'executing' and new.status in ('executed', 'failed') then
      new.approved_params_hash = old.approved_params_hash and new.claimed_by = old.claimed_by
      and new.execution_started_at = old.execution_started_at and new.resolved_by is not distinct from old.resolved_by
    else false
  end;
  if not coalesce(v_allowed, false) then
    raise exception 'action proposal % cannot go from % to % this way', old.id, old.status, new.status
      using errcode = '23514',
            hint = 'Proposals move proposed -> approved | rejected | expired, approved -> executing -> executed | failed. Operators resolve through resolve_action_proposal() before expiry; only the executor claims and finishes, with the approved params.';
  end if;
  return new;
end;
$$;
comment on function public.check_action_proposal_update() is 'Trigger on action_proposals: enforces the state machine for every role (signed-in users may not update at all; approve/reject only inside resolve_action_proposal(); an expired proposal cannot be approved; executing needs the params to still hash to approved_params_hash), freezes the proposal itself and its params outside the approval, and recomputes params_hash.';

create trigger action_proposals_check_update before update on public.action_proposals
  for each row execute function public.check_action_proposal_update();

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
    values (new.project_id, new.thread_id, 'agent', new.proposed_by_agent_key, 'action_proposal', v_text, v_card);
  end if;
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (new.project_id, 'agent', new.proposed_by_agent_key, 'approval.proposed',
          left(new.proposed_by_agent_key || ' proposes ' || new.action_type || ' (' || new.risk || ' risk): ' || v_text, 1000),
          jsonb_strip_nulls(jsonb_build_object('proposal_id', new.id, 'task_id', new.task_id, 'thread_id', new.thread_id)));
  return null;
end;
$$;
comment on function public.announce_action_proposal() is 'Trigger on action_proposals: a new proposal appears as an approval_request card in its task thread and as an action_proposal message in its chat thread (both carry proposal_id), and in the activity feed.';
revoke all on function public.announce_action_proposal() from public, anon, authenticated;

create trigger action_proposals_announce after insert on public.action_proposals
  for each row execute function public.announce_action_proposal();

create or replace function public.record_action_proposal_outcome() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_by_user boolean := new.status in ('approved', 'rejected');
  v_actor text := case
    when new.status in ('approved', 'rejected') then new.resolved_by::text
    when new.status = 'expired' then 'system'
    else coalesce(new.claimed_by, 'executor')
  end;
  v_text text := case new.status
    when 'approved' then 'Approved ' || new.action_type || case when old.params is distinct from new.params then ' with edited params' else '' end
      || coalesce(': ' || nullif(btrim(new.resolution_comment), ''), '')
    when 'rejected' then 'Rejected ' || new.action_type || coalesce(': ' || nullif(btrim(new.resolution_comment), ''), '')
    when 'expired' then 'Expired without a decision: ' || new.action_type || ' was not run'
    when 'executed' then 'Executed ' || new.action_type
    else 'Failed ' || new.action_type || ': ' || coalesce(new.error, 'no reason given')
  end;
begin
  if new.status not in ('approved', 'rejected', 'expired', 'executed', 'failed') then
    return null;
  end if;
  if new.task_id is not null then
    insert into public.task_events (project_id, task_id, kind, author_type, author_user_id, content, metadata, proposal_id)
    values (
      new.project_id, new.task_id, 'approval_resolved',
      case when v_by_user and new.resolved_by is not null then 'user' else 'system' end,
      case when v_by_user then new.resolved_by end,
      v_text,
      jsonb_strip_nulls(jsonb_build_object(
        'from', old.status, 'status', new.status, 'action_type', new.action_type, 'proposed_by', new.proposed_by_agent_key,
        'comment', new.resolution_comment, 'params_hash', new.params_hash, 'approved_params_hash', new.approved_params_hash,
        'edited', case when old.params is distinct from new.params then true end,
        'result', new.execution_result, 'error', new.error)),
      new.id
    );
  end if;
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (new.project_id, case when v_by_user and new.resolved_by is not null then 'user' else 'system' end, coalesce(v_actor, 'system'),
          'approval.' || new.status, left(v_text || ' (proposed by ' || new.proposed_by_agent_key || ')', 1000),
          jsonb_strip_nulls(jsonb_build_object('proposal_id', new.id, 'task_id', new.task_id, 'thread_id', new.thread_id,
                                               'agent_key', new.proposed_by_agent_key, 'status', new.status)));
  return null;
end;
$$;
comment on function public.record_action_proposal_outcome() is 'Trigger on action_proposals: every outcome (approved, rejected with its comment, expired, executed, failed) writes an approval_resolved task_event when the proposal belongs to a task, and an activities row (kind approval.<status>) the executor uses to wake the proposing agent.';
revoke all on function public.record_action_proposal_outcome() from public, anon, authenticated;

create trigger action_proposals_record_outcome after update on public.action_proposals
  for each row when (old.status is distinct from new.status)
  execute function public.record_action_proposal_outcome();
