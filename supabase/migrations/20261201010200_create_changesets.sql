-- Changesets: the files one implement run proposes, each with the content it was computed against
-- (base), the new content, the unified diff and its stats, reviewed as one apply_changeset
-- approval. State machine (every role): proposed -> applied | rejected | revision_requested |
-- failed | expired; applied -> rolled_back. File contents never change after insert; only each
-- file's decision does (pending -> accepted | rejected). Reviews are append-only.

create or replace function public.is_workspace_path(p_path text) returns boolean
language sql
immutable
set search_path = ''
as $$
  select length(p_path) between 1 and 500
    and p_path !~ '^[/\\]'
    and p_path !~ '^[A-Za-z]:'
    and not ('..' = any (regexp_split_to_array(p_path, '[/\\]')))
    and p_path !~ '^(\./)*\.mission-control([/\\]|$)'
$$;
comment on function public.is_workspace_path(text) is 'True when the path is relative to the workspace and cannot leave it (no leading / or drive letter, no .. segment, at most 500 characters; ZWorkspacePath in shared) and is not under .mission-control/, the executor''s own state.';
revoke all on function public.is_workspace_path(text) from public, anon;
grant execute on function public.is_workspace_path(text) to authenticated, service_role;

create table public.changesets (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  run_id uuid not null,
  task_id uuid,
  agent_key text not null check (agent_key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  proposal_id uuid unique references public.action_proposals (id) on delete set null,
  summary text not null check (length(btrim(summary)) between 1 and 500),
  risk text not null default 'low' check (risk in ('low', 'medium', 'high')),
  status text not null default 'proposed' check (status in ('proposed', 'applied', 'rejected', 'revision_requested', 'failed', 'expired', 'rolled_back')),
  files_count integer not null default 0 check (files_count between 0 and 50),
  additions integer not null default 0 check (additions >= 0),
  deletions integer not null default 0 check (deletions >= 0),
  applied_paths text[] not null default '{}' check (array_position(applied_paths, null) is null),
  applied_at timestamptz,
  rollback_requested_at timestamptz,
  rolled_back_at timestamptz,
  error text check (length(error) <= 5000),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  rolled_back_by uuid references auth.users (id) on delete set null,
  rollback_requested_by uuid references auth.users (id) on delete set null,
  rollback_claimed_by text check (length(rollback_claimed_by) between 1 and 200),
  rollback_claimed_at timestamptz,
  -- An implement run proposes one changeset; a revision is another run with its own.
  unique (run_id),
  unique (id, project_id),
  foreign key (run_id, project_id) references public.ai_runs (id, project_id) on delete cascade,
  foreign key (task_id, project_id) references public.tasks (id, project_id) on delete set null (task_id),
  constraint changesets_applied_is_stamped check (status not in ('applied', 'rolled_back') or applied_at is not null),
  constraint changesets_rollback_is_stamped check (status <> 'rolled_back' or rolled_back_at is not null),
  constraint changesets_rollback_claim_needs_request check (rollback_claimed_by is null or (rollback_requested_at is not null and rollback_claimed_at is not null))
);
comment on table public.changesets is 'The changes one implement run proposes: a summary, a risk level, its files (changeset_files) with +/- totals, and the apply_changeset proposal that approves them (proposal_id). State machine (enforced by trigger for every role): proposed -> applied (applied_paths: the files written) | rejected | revision_requested | failed | expired; applied -> rolled_back. Written by propose_run_changeset and by the trigger that follows its proposal; operators review through request_changeset_revision, add_changeset_review and request_changeset_rollback.';
comment on column public.changesets.applied_paths is 'The paths the executor wrote when it applied the changeset (the accepted files of a partial approval).';
comment on column public.changesets.rollback_requested_at is 'Set by request_changeset_rollback: the executor''s rollback worker restores the files'' previous contents (claim_changeset_rollbacks, finish_changeset_rollback).';
comment on column public.changesets.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.changesets enable row level security;
revoke all on public.changesets from anon;
revoke insert, update, delete, truncate on public.changesets from authenticated;
create index changesets_project_seq_idx on public.changesets (project_id, seq desc);
create index changesets_task_idx on public.changesets (task_id) where task_id is not null;
create index changesets_rollback_requested_idx on public.changesets (rollback_requested_at) where status = 'applied' and rollback_requested_at is not null;

create trigger changesets_stamp_live_row before insert or update on public.changesets
  for each row execute function public.stamp_live_row();
create trigger changesets_touch_updated_at before update on public.changesets
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's changesets"
  on public.changesets for select to authenticated
  using ((select public.has_project_role(project_id)));

create or replace function public.check_changeset_insert() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.status <> 'proposed' or new.applied_at is not null or cardinality(new.applied_paths) > 0 or new.rollback_requested_at is not null
     or new.rolled_back_at is not null or new.rolled_back_by is not null or new.rollback_requested_by is not null
     or new.rollback_claimed_by is not null or new.error is not null then
    raise exception 'A new changeset starts as proposed, unapplied'
      using errcode = '23514', hint = 'The executor proposes a changeset with propose_run_changeset(); its approval applies it.';
  end if;
  return new;
end;
$$;
comment on function public.check_changeset_insert() is 'Trigger on changesets: a new changeset is proposed and unapplied.';
revoke all on function public.check_changeset_insert() from public, anon, authenticated;

create trigger changesets_check_insert before insert on public.changesets
  for each row execute function public.check_changeset_insert();

create or replace function public.check_changeset_update() returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_clearable constant text[] := array['task_id', 'proposal_id', 'rolled_back_by', 'rollback_requested_by', 'seq', 'updated_at'];
  v_allowed boolean;
begin
  if current_user in ('anon', 'authenticated') then
    raise exception 'Changesets cannot be changed directly'
      using errcode = '42501', hint = 'Approve or reject its proposal, request a revision or a rollback through the RPCs.';
  end if;
  if new.id <> old.id or new.project_id <> old.project_id or new.run_id <> old.run_id or new.agent_key <> old.agent_key
     or new.summary <> old.summary or new.risk <> old.risk or new.created_at <> old.created_at
     or new.files_count <> old.files_count or new.additions <> old.additions or new.deletions <> old.deletions
     or (new.task_id is distinct from old.task_id and new.task_id is not null)
     -- The proposal is linked once, right after it is inserted (its params name the changeset).
     or (new.proposal_id is distinct from old.proposal_id and new.proposal_id is not null and old.proposal_id is not null) then
    raise exception 'Changeset % is immutable apart from its status and outcome', old.id
      using errcode = '23514', hint = 'Ask for a revision (request_changeset_revision): the agent proposes a new changeset.';
  end if;
  if new.applied_paths is distinct from old.applied_paths and not (old.status = 'proposed' and new.status = 'applied') then
    raise exception 'The applied paths of changeset % are recorded once, when it is applied', old.id using errcode = '23514';
  end if;

  v_allowed := case
    when old.status = new.status then
      old.status in ('proposed', 'applied')
      or (to_jsonb(new) - v_clearable) = (to_jsonb(old) - v_clearable)
    when old.status = 'proposed' then new.status in ('applied', 'rejected', 'revision_requested', 'failed', 'expired')
    when old.status = 'applied' then new.status = 'rolled_back'
    else false
  end;
  if not coalesce(v_allowed, false) then
    raise exception 'changeset % cannot go from % to %', old.id, old.status, new.status
      using errcode = '23514',
            hint = 'Changesets move proposed -> applied | rejected | revision_requested | failed | expired, and applied -> rolled_back; the others are final.';
  end if;
  if new.status = 'applied' and old.status = 'proposed' then
    new.applied_at := coalesce(new.applied_at, now());
  elsif new.status = 'rolled_back' and old.status = 'applied' then
    new.rolled_back_at := coalesce(new.rolled_back_at, now());
  end if;
  return new;
end;
$$;
comment on function public.check_changeset_update() is 'Trigger on changesets: enforces the changeset state machine for every role (signed-in users may not update at all), keeps its run, agent, summary, risk and totals, links its proposal once, records applied_paths only when it is applied, freezes final changesets, and stamps applied_at and rolled_back_at.';
revoke all on function public.check_changeset_update() from public, anon, authenticated;

create trigger changesets_check_update before update on public.changesets
  for each row execute function public.check_changeset_update();

create table public.changeset_files (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  changeset_id uuid not null,
  position integer not null check (position between 0 and 49),
  path text not null check (public.is_workspace_path(path)),
  change_kind text not null check (change_kind in ('add', 'modify', 'delete')),
  base_sha256 text check (base_sha256 ~ '^[0-9a-f]{64}$'),
  base_content text check (length(base_content) <= 1000000),
  new_content text check (length(new_content) <= 1000000),
  new_sha256 text check (new_sha256 ~ '^[0-9a-f]{64}$'),
  unified_diff text not null default '' check (length(unified_diff) <= 4000000),
  rationale text not null default '' check (length(rationale) <= 500),
  risk_notes text not null default '' check (length(risk_notes) <= 2000),
  additions integer not null default 0 check (additions >= 0),
  deletions integer not null default 0 check (deletions >= 0),
  decision text not null default 'pending' check (decision in ('pending', 'accepted', 'rejected')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  unique (changeset_id, path),
  unique (changeset_id, position),
  foreign key (changeset_id, project_id) references public.changesets (id, project_id) on delete cascade,
  -- An added file has no base, a deleted one no new content; the base content is what a rollback restores.
  constraint changeset_files_content_fits_kind check (case change_kind
    when 'add' then base_sha256 is null and base_content is null and new_content is not null and new_sha256 is not null
    when 'modify' then base_sha256 is not null and base_content is not null and new_content is not null and new_sha256 is not null
    else base_sha256 is not null and base_content is not null and new_content is null and new_sha256 is null
  end)
);
comment on table public.changeset_files is 'One file of a changeset (position = its order): the change kind, the content and sha-256 the diff was computed against (base; what the apply checks and a rollback restores), the new content and its sha-256, the unified diff, a one-line rationale, risk notes and +/- stats. Contents never change after insert; decision moves pending -> accepted | rejected when the changeset is resolved (accepted = written by the apply).';
comment on column public.changeset_files.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.changeset_files enable row level security;
revoke all on public.changeset_files from anon;
revoke insert, update, delete, truncate on public.changeset_files from authenticated;
create index changeset_files_project_seq_idx on public.changeset_files (project_id, seq desc);

create trigger changeset_files_stamp_live_row before insert or update on public.changeset_files
  for each row execute function public.stamp_live_row();
create trigger changeset_files_touch_updated_at before update on public.changeset_files
  for each row execute function public.touch_updated_at();
create trigger changeset_files_refuse_delete before delete on public.changeset_files
  for each row execute function public.refuse_append_only_change();
create trigger changeset_files_refuse_truncate before truncate on public.changeset_files
  for each statement execute function public.refuse_append_only_change();

create policy "Members can read their project's changeset files"
  on public.changeset_files for select to authenticated
  using ((select public.has_project_role(project_id)));

create or replace function public.check_changeset_file_update() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (to_jsonb(new) - array['decision', 'seq', 'updated_at']) <> (to_jsonb(old) - array['decision', 'seq', 'updated_at']) then
    raise exception 'The content of changeset file % (%) never changes after it is proposed', old.id, old.path
      using errcode = '23514', hint = 'Only the decision of a file changes; ask for a revision to change its content.';
  end if;
  if new.decision <> old.decision and old.decision <> 'pending' then
    raise exception 'changeset file % (%) was already %', old.id, old.path, old.decision
      using errcode = '23514', hint = 'A file''s decision moves pending -> accepted | rejected once.';
  end if;
  return new;
end;
$$;
comment on function public.check_changeset_file_update() is 'Trigger on changeset_files: for every role, only the decision may change, once (pending -> accepted | rejected); path, contents, hashes, diff and stats are immutable.';
revoke all on function public.check_changeset_file_update() from public, anon, authenticated;

create trigger changeset_files_check_update before update on public.changeset_files
  for each row execute function public.check_changeset_file_update();

create table public.changeset_reviews (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  changeset_id uuid not null,
  kind text not null check (kind in ('revise', 'question', 'nit', 'block')),
  path text check (public.is_workspace_path(path)),
  line integer check (line >= 1),
  comment text not null check (length(btrim(comment)) between 1 and 5000),
  -- No foreign key: a review keeps its author's id after the account is deleted (an audit record).
  author_user_id uuid,
  created_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  foreign key (changeset_id, project_id) references public.changesets (id, project_id) on delete cascade,
  constraint changeset_reviews_line_needs_path check (line is null or path is not null)
);
comment on table public.changeset_reviews is 'Review comments on a changeset, one of its files (path) or a line of a file''s new content (path, line): revise, question, nit or block. Append-only for every role; operators write them through add_changeset_review and request_changeset_revision.';
comment on column public.changeset_reviews.seq is 'Live sequence (public.live_seq), taken on insert.';
alter table public.changeset_reviews enable row level security;
revoke all on public.changeset_reviews from anon;
revoke insert, update, delete, truncate on public.changeset_reviews from authenticated;
create index changeset_reviews_changeset_idx on public.changeset_reviews (changeset_id, created_at, seq);
create index changeset_reviews_project_seq_idx on public.changeset_reviews (project_id, seq desc);

create trigger changeset_reviews_stamp_live_row before insert on public.changeset_reviews
  for each row execute function public.stamp_live_row();
create trigger changeset_reviews_refuse_update_delete before update or delete on public.changeset_reviews
  for each row execute function public.refuse_append_only_change();
create trigger changeset_reviews_refuse_truncate before truncate on public.changeset_reviews
  for each statement execute function public.refuse_append_only_change();

create policy "Members can read their project's changeset reviews"
  on public.changeset_reviews for select to authenticated
  using ((select public.has_project_role(project_id)));

-- A run knows the proposals it made.
alter table public.action_proposals add column run_id uuid references public.ai_runs (id) on delete set null;
comment on column public.action_proposals.run_id is 'The run that proposed the action (null for proposals from chat replies): its outcome moves the run and its changeset on, instead of waking the agent with a chat message.';
create index action_proposals_run_idx on public.action_proposals (run_id, status) where run_id is not null;

create or replace function public.check_action_proposal_run() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.run_id is not null and not exists (select 1 from public.ai_runs r where r.id = new.run_id and r.project_id = new.project_id) then
    raise exception 'Run % is not in project %', new.run_id, new.project_id using errcode = '23503';
  end if;
  return new;
end;
$$;
comment on function public.check_action_proposal_run() is 'Trigger on action_proposals: the run that proposes an action is in the same project.';
revoke all on function public.check_action_proposal_run() from public, anon, authenticated;

create trigger action_proposals_check_run before insert on public.action_proposals
  for each row execute function public.check_action_proposal_run();
