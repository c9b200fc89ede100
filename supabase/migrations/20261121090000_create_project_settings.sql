-- Per-project settings (key -> jsonb), e.g. labs_features {"team_room": false, "dms": false}.

create or replace function public.is_boolean_map(doc jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select jsonb_typeof(doc) = 'object'
    and not exists (select 1 from jsonb_each(doc) e where jsonb_typeof(e.value) <> 'boolean')
$$;
comment on function public.is_boolean_map(jsonb) is 'True when the document is a JSON object whose values are all booleans (the shape of labs_features).';

create table public.project_settings (
  project_id uuid not null references public.projects (id) on delete cascade,
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  value jsonb not null,
  updated_by uuid references auth.users (id) on delete set null default auth.uid(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  primary key (project_id, key),
  constraint labs_features_are_flags check (key <> 'labs_features' or public.is_boolean_map(value))
);
comment on table public.project_settings is 'Project settings as key -> jsonb: labs_features (feature flags), posting limits, provider defaults.';
alter table public.project_settings enable row level security;
revoke all on public.project_settings from anon;

create trigger project_settings_stamp_live_row before insert or update on public.project_settings
  for each row execute function public.stamp_live_row();
create trigger project_settings_touch_updated_at before update on public.project_settings
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's settings"
  on public.project_settings for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Operators can add settings to their project"
  on public.project_settings for insert to authenticated
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Operators can change their project's settings"
  on public.project_settings for update to authenticated
  using ((select public.has_project_role(project_id, array['owner', 'operator'])))
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));
