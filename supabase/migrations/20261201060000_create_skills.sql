-- Skills: what agents can do once something is set up on the executor's machine or in the project.
-- A skill lists its requirements (an environment variable, a program on PATH, a file in the
-- workspace, a provider connection with a key, a project setting), the setup steps an operator
-- follows, and the agent tools it unlocks. Every project gets the built-in skills the product's own
-- tools need (seeded when the project is created, backfilled here); operators add their own. The
-- executor checks each requirement and writes the verdict into skills_mirror, which only it writes.

create or replace function public.is_skill_requirements(doc jsonb) returns boolean
language sql
immutable
set search_path = ''
as $$
  select jsonb_typeof(doc) = 'array'
    and jsonb_array_length(doc) <= 20
    and not exists (
      select 1
      from jsonb_array_elements(doc) as r(item)
      where jsonb_typeof(r.item) <> 'object'
        or exists (select 1 from jsonb_object_keys(r.item) as k(key) where k.key not in ('kind', 'name', 'value', 'description'))
        or coalesce(r.item ->> 'kind', '') not in ('env', 'program', 'file', 'connection', 'setting')
        or jsonb_typeof(r.item -> 'name') is distinct from 'string'
        or length(btrim(r.item ->> 'name')) not between 1 and 300
        or (r.item ? 'value' and (jsonb_typeof(r.item -> 'value') <> 'string' or length(r.item ->> 'value') > 300))
        or (r.item ? 'description' and (jsonb_typeof(r.item -> 'description') <> 'string' or length(r.item ->> 'description') > 500))
    )
$$;
comment on function public.is_skill_requirements(jsonb) is 'True when the document is an array of at most 20 requirements {kind, name, value?, description?} (ZSkillRequirement in shared): kind env | program | file | connection | setting, name 1..300 characters, value up to 300, description up to 500.';
revoke all on function public.is_skill_requirements(jsonb) from public, anon;
grant execute on function public.is_skill_requirements(jsonb) to authenticated, service_role;

create table public.skills (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  key text not null check (key ~ '^[a-z][a-z0-9_]{0,62}$'),
  name text not null check (length(btrim(name)) between 1 and 80),
  description text not null default '' check (length(description) <= 2000),
  requirements jsonb not null default '[]'::jsonb check (public.is_skill_requirements(requirements)),
  setup_steps text[] not null default '{}' check (cardinality(setup_steps) <= 30 and array_position(setup_steps, null) is null),
  tools text[] not null default '{}' check (
    tools <@ array[
      'read_file', 'list_files', 'search_text', 'read_task', 'list_tasks', 'create_task', 'schedule_job', 'edit_doc',
      'send_message', 'api_call', 'file_write', 'apply_changeset', 'hand_off'
    ]::text[]
  ),
  builtin boolean not null default false,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  unique (project_id, key),
  -- The target of skills_mirror's composite foreign key (a verdict stays in its skill's project).
  unique (id, project_id)
);
comment on table public.skills is 'What agents of a project can do once it is set up: requirements (jsonb array of {kind: env | program | file | connection | setting, name, value?, description?}), setup steps (commands an operator runs, in order) and the agent tools it unlocks (an agent is not offered a tool while a skill listing it is not ready). Built-in skills are seeded per project by seed_builtin_skills and only the service role changes them; operators add, edit and remove their own.';
comment on column public.skills.requirements is 'Each {kind, name, value?, description?}: env = an environment variable of the executor is set; program = a program found on PATH (name setting:<key>.<field> reads it from the first word of that setting; value allowlisted also needs it on RUN_TEST_ALLOWLIST); file = a file or folder inside the workspace (relative path) is readable; connection = a provider of that kind (openai_compatible, anthropic) has a key; setting = project_settings <key>[.<field>] is present and not empty.';
comment on column public.skills.tools is 'The agent tools (AGENT_TOOLS) this skill unlocks: they are not offered in a run while this skill is not ready.';
comment on column public.skills.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.skills enable row level security;
revoke all on public.skills from anon;
create index skills_project_seq_idx on public.skills (project_id, seq desc);

create trigger skills_stamp_live_row before insert or update on public.skills
  for each row execute function public.stamp_live_row();
create trigger skills_touch_updated_at before update on public.skills
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's skills"
  on public.skills for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Operators can add skills of their own to their project"
  on public.skills for insert to authenticated
  with check (not builtin and (select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Operators can edit their project's own skills"
  on public.skills for update to authenticated
  using (not builtin and (select public.has_project_role(project_id, array['owner', 'operator'])))
  with check (not builtin and (select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Operators can remove their project's own skills"
  on public.skills for delete to authenticated
  using (not builtin and (select public.has_project_role(project_id, array['owner', 'operator'])));

create or replace function public.guard_skill_identity() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if new.project_id <> old.project_id or new.key <> old.key then
    raise exception 'Skill % keeps its project and key', old.key
      using errcode = '22023', hint = 'Add a new skill with the other key instead, then remove this one.';
  end if;
  return new;
end;
$$;
comment on function public.guard_skill_identity() is 'Trigger on skills: members cannot move a skill to another project or change its key (its verdict and the tools it gates follow the key).';
create trigger skills_guard_identity before update on public.skills
  for each row execute function public.guard_skill_identity();

create table public.skills_mirror (
  skill_id uuid primary key,
  project_id uuid not null,
  status text not null check (status in ('ready', 'needs_setup', 'blocked')),
  results jsonb not null default '[]'::jsonb check (jsonb_typeof(results) = 'array'),
  reasons text[] not null default '{}',
  checked_at timestamptz not null default now(),
  checked_by text not null check (length(checked_by) between 1 and 100),
  seq bigint not null default nextval('public.live_seq'),
  foreign key (skill_id, project_id) references public.skills (id, project_id) on delete cascade
);
comment on table public.skills_mirror is 'The executor''s latest verdict on each skill: status ready (every requirement met) | needs_setup (something an operator can set up is missing) | blocked (a requirement can never be met on this executor), results per requirement [{kind, name, ok, reason}], the reasons in words, when and by which executor (executor id) it was checked. Written only by the executor (service role); members read it.';
comment on column public.skills_mirror.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.skills_mirror enable row level security;
revoke all on public.skills_mirror from anon;
revoke insert, update, delete, truncate on public.skills_mirror from authenticated;
create index skills_mirror_project_seq_idx on public.skills_mirror (project_id, seq desc);

create trigger skills_mirror_stamp_live_row before insert or update on public.skills_mirror
  for each row execute function public.stamp_live_row();

create policy "Members can read their project's skill checks"
  on public.skills_mirror for select to authenticated
  using ((select public.has_project_role(project_id)));

create or replace function public.seed_builtin_skills(p_project_id uuid) returns void
language sql
security definer
set search_path = ''
as $$
  insert into public.skills (project_id, key, name, description, requirements, setup_steps, tools, builtin, created_by)
  select p_project_id, s.key, s.name, s.description, s.requirements, s.setup_steps, s.tools, true, null
  from (values
    (
      'workspace_reading',
      'Read the workspace',
      'Agents read, list and search the files of the executor''s workspace (WORKSPACE_DIR).',
      '[{"kind": "file", "name": ".", "description": "The workspace folder exists and the executor can read it"}]'::jsonb,
      array['mkdir -p "$WORKSPACE_DIR"', 'git clone <your repository> "$WORKSPACE_DIR"'],
      array['read_file', 'list_files', 'search_text']
    ),
    (
      'test_command',
      'Run the test command',
      'Test runs start the project''s test command in the workspace after a changeset is applied.',
      '[{"kind": "setting", "name": "runs.test_command", "description": "Settings → Runs has a test command"},
        {"kind": "program", "name": "setting:runs.test_command", "value": "allowlisted", "description": "The test command''s program is on PATH and on RUN_TEST_ALLOWLIST"}]'::jsonb,
      array['Set a test command in Settings → Runs, e.g. pnpm test', 'Install its program on the executor''s machine (e.g. corepack enable)', 'Add the program to RUN_TEST_ALLOWLIST in the executor''s environment and restart it'],
      array[]::text[]
    ),
    (
      'git',
      'Git',
      'The workspace is a git checkout the executor can read history from.',
      '[{"kind": "program", "name": "git", "description": "git is installed on the executor''s PATH"}]'::jsonb,
      array['sudo apt-get install -y git', 'git --version'],
      array[]::text[]
    ),
    (
      'api_call_hosts',
      'Call HTTP APIs',
      'Agents propose api_call requests, sent only to the hosts the project allows.',
      '[{"kind": "setting", "name": "api_allowlist.hosts", "description": "project_settings api_allowlist lists at least one host"}]'::jsonb,
      array['Add the project setting api_allowlist with {"hosts": ["api.example.com"]}'],
      array['api_call']
    ),
    (
      'provider_openai_compatible',
      'OpenAI-compatible models',
      'Agents run on an OpenAI-compatible endpoint (OpenAI, vLLM, Ollama, LM Studio…).',
      '[{"kind": "connection", "name": "openai_compatible", "description": "An OpenAI-compatible connection with a key (or keyless), or OPENAI_API_KEY on the executor"}]'::jsonb,
      array['Add a connection in Settings → Providers and set its key', 'or export OPENAI_BASE_URL and OPENAI_API_KEY for the executor and restart it'],
      array[]::text[]
    ),
    (
      'provider_anthropic',
      'Anthropic models',
      'Agents run on Anthropic''s Claude models.',
      '[{"kind": "connection", "name": "anthropic", "description": "An Anthropic connection with a key, or ANTHROPIC_API_KEY on the executor"}]'::jsonb,
      array['Add an Anthropic connection in Settings → Providers and set its key', 'or export ANTHROPIC_API_KEY for the executor and restart it'],
      array[]::text[]
    ),
    (
      'provider_builtin',
      'Built-in model',
      'The offline built-in model every executor ships with: always available, no setup.',
      '[]'::jsonb,
      array[]::text[],
      array[]::text[]
    )
  ) as s(key, name, description, requirements, setup_steps, tools)
  on conflict (project_id, key) do update
    set name = excluded.name,
        description = excluded.description,
        requirements = excluded.requirements,
        setup_steps = excluded.setup_steps,
        tools = excluded.tools
    where public.skills.builtin
$$;
comment on function public.seed_builtin_skills(uuid) is 'Writes (or refreshes) the built-in skills of a project: workspace_reading, test_command, git, api_call_hosts and one per provider kind (provider_openai_compatible, provider_anthropic, provider_builtin). Called when a project is created and once for every existing project by the migration that created skills; a skill of the same key that an operator added is left alone.';
revoke all on function public.seed_builtin_skills(uuid) from public, anon, authenticated;
grant execute on function public.seed_builtin_skills(uuid) to service_role;

create or replace function public.seed_project_skills() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform public.seed_builtin_skills(new.id);
  return new;
end;
$$;
comment on function public.seed_project_skills() is 'Trigger on projects: every new project gets the built-in skills.';
revoke all on function public.seed_project_skills() from public, anon, authenticated;
create trigger projects_seed_builtin_skills after insert on public.projects
  for each row execute function public.seed_project_skills();

select public.seed_builtin_skills(id) from public.projects;

-- Realtime: both tables are in the shared registry (REALTIME_TABLES), so the Skills page updates live.
do $$
declare
  t text;
begin
  foreach t in array array['skills', 'skills_mirror'] loop
    if not exists (select 1 from pg_publication_tables where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = t) then
      execute format('alter publication supabase_realtime add table public.%I', t);
    end if;
  end loop;
end
$$;
