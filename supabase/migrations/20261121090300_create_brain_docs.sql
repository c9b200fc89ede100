-- Knowledge: documents that feed agents' context. doc_type 'mission' with no agent is the
-- project mission, shown as a banner and included in every agent's context.

create table public.brain_docs (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  agent_key text check (agent_key is null or agent_key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  doc_type text not null check (doc_type ~ '^[a-z][a-z0-9_]{0,31}$'),
  title text not null default '' check (length(title) <= 200),
  content text not null default '' check (length(content) <= 200000),
  updated_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  constraint brain_docs_one_per_kind unique nulls not distinct (project_id, agent_key, doc_type)
);
comment on table public.brain_docs is 'Knowledge documents, unique per (project, agent_key, doc_type). agent_key null means project-wide; doc_type mission is the project mission.';
alter table public.brain_docs enable row level security;
revoke all on public.brain_docs from anon;

create trigger brain_docs_stamp_live_row before insert or update on public.brain_docs
  for each row execute function public.stamp_live_row();
create trigger brain_docs_touch_updated_at before update on public.brain_docs
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's docs"
  on public.brain_docs for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Operators can add docs to their project"
  on public.brain_docs for insert to authenticated
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Operators can edit their project's docs"
  on public.brain_docs for update to authenticated
  using ((select public.has_project_role(project_id, array['owner', 'operator'])))
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Operators can remove their project's docs"
  on public.brain_docs for delete to authenticated
  using ((select public.has_project_role(project_id, array['owner', 'operator'])));
