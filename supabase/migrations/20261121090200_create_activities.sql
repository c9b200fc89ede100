-- The project feed: an append-only record of what agents, people and the system did.

create table public.activities (
  id bigint generated always as identity primary key,
  project_id uuid not null references public.projects (id) on delete cascade,
  actor_type text not null check (actor_type in ('user', 'agent', 'system')),
  actor text not null check (length(actor) between 1 and 200),
  kind text not null check (kind ~ '^[a-z][a-z0-9_.]{0,62}$'),
  summary text not null check (length(summary) between 1 and 1000),
  ref jsonb not null default '{}'::jsonb check (jsonb_typeof(ref) = 'object'),
  created_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq')
);
comment on table public.activities is 'Append-only project feed (agent replies, deliveries failed, settings changed...). Written by the executor and by security-definer RPCs; nobody may change or delete a row.';
alter table public.activities enable row level security;
revoke all on public.activities from anon;
revoke insert, update, delete, truncate on public.activities from authenticated;
create index activities_project_seq_idx on public.activities (project_id, seq desc);

create trigger activities_stamp_live_row before insert on public.activities
  for each row execute function public.stamp_live_row();
create trigger activities_refuse_update_delete before update or delete on public.activities
  for each row execute function public.refuse_append_only_change();
create trigger activities_refuse_truncate before truncate on public.activities
  for each statement execute function public.refuse_append_only_change();

create policy "Members can read their project's activity feed"
  on public.activities for select to authenticated
  using ((select public.has_project_role(project_id)));
