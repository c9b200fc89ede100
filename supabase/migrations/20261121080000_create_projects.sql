-- Tenancy: projects and their members, with one security-definer membership check for RLS.

create table public.projects (
  id uuid primary key default extensions.gen_random_uuid(),
  name text not null check (length(btrim(name)) between 1 and 120),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq')
);
comment on table public.projects is 'A project: the unit of tenancy. Everything else belongs to exactly one project.';
comment on column public.projects.seq is 'Live sequence (public.live_seq), renewed on every write: clients catch up by it after a missed realtime event.';
alter table public.projects enable row level security;
alter table public.projects replica identity full;

create table public.project_members (
  project_id uuid not null references public.projects (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null check (role in ('owner', 'operator', 'viewer')),
  created_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  primary key (project_id, user_id)
);
comment on table public.project_members is 'Who may see a project and what they may do there: owner, operator or viewer.';
comment on column public.project_members.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.project_members enable row level security;
create index project_members_user_id_idx on public.project_members (user_id);

create or replace function public.has_project_role(target_project uuid, allowed_roles text[] default array['owner', 'operator', 'viewer'])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.project_members m
    where m.project_id = target_project
      and m.user_id = (select auth.uid())
      and m.role = any (allowed_roles)
  )
$$;
comment on function public.has_project_role(uuid, text[]) is 'True when the signed-in user is a member of the project with one of the given roles. The one membership check every policy uses.';
revoke all on function public.has_project_role(uuid, text[]) from public, anon;
grant execute on function public.has_project_role(uuid, text[]) to authenticated, service_role;

-- The anon key can sign in and nothing else.
revoke all on public.projects, public.project_members from anon;

create policy "Members can read their projects"
  on public.projects for select to authenticated
  using ((select public.has_project_role(id)));

create policy "Owners can rename their projects"
  on public.projects for update to authenticated
  using ((select public.has_project_role(id, array['owner'])))
  with check ((select public.has_project_role(id, array['owner'])));

create policy "Members can read who else is in their projects"
  on public.project_members for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Owners can add members to their projects"
  on public.project_members for insert to authenticated
  with check ((select public.has_project_role(project_id, array['owner'])));

create policy "Owners can change member roles in their projects"
  on public.project_members for update to authenticated
  using ((select public.has_project_role(project_id, array['owner'])))
  with check ((select public.has_project_role(project_id, array['owner'])));

create policy "Owners can remove members from their projects"
  on public.project_members for delete to authenticated
  using ((select public.has_project_role(project_id, array['owner'])));

create trigger projects_stamp_live_row before insert or update on public.projects
  for each row execute function public.stamp_live_row();
create trigger projects_touch_updated_at before update on public.projects
  for each row execute function public.touch_updated_at();
create trigger project_members_stamp_live_row before insert or update on public.project_members
  for each row execute function public.stamp_live_row();

-- Realtime: both tables are in the shared registry, so both are published (idempotent).
do $$
begin
  if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'projects') then
    alter publication supabase_realtime add table public.projects;
  end if;
  if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'project_members') then
    alter publication supabase_realtime add table public.project_members;
  end if;
end
$$;
