-- Provider connections (BYOK): where a project's agents can run their model. An OpenAI-compatible
-- endpoint, Anthropic, or a CLI program run in the workspace. The API key never lives in this
-- table: the executor encrypts it (AES-256-GCM) into provider_connection_secrets, which only the
-- service role can read; members see its last four characters.

create table public.provider_connections (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  name text not null check (length(btrim(name)) between 1 and 80),
  kind text not null check (kind in ('openai_compatible', 'anthropic', 'cli')),
  base_url text check (base_url ~* '^https?://[^[:space:]]+$' and length(base_url) <= 2000),
  keyless boolean not null default false,
  default_model text check (length(btrim(default_model)) between 1 and 200),
  cli_command text check (length(btrim(cli_command)) between 1 and 2000),
  cli_timeout_seconds integer not null default 300 check (cli_timeout_seconds between 1 and 3600),
  key_last4 text check (length(key_last4) <= 4),
  key_updated_at timestamptz,
  created_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  seq bigint not null default nextval('public.live_seq'),
  unique (project_id, name),
  -- The target of the composite foreign keys that keep an agent's connection and a secret in the same project.
  unique (id, project_id),
  constraint provider_connections_base_url_fits_kind check (
    (kind <> 'openai_compatible' or base_url is not null) and (kind <> 'cli' or base_url is null)
  ),
  constraint provider_connections_cli_command_fits_kind check ((kind = 'cli') = (cli_command is not null))
);
comment on table public.provider_connections is 'A project''s provider connections (Settings → Providers): an OpenAI-compatible endpoint (base URL), Anthropic, or a CLI agent (a command line run in the workspace with a timeout). The API key is stored encrypted in provider_connection_secrets; members see only key_last4, which only the service role may set.';
comment on column public.provider_connections.keyless is 'True for servers that need no key (Ollama, LM Studio, a local vLLM).';
comment on column public.provider_connections.key_last4 is 'The last four characters of the stored key, or null when no key is stored. Set by the executor (service role) only.';
comment on column public.provider_connections.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.provider_connections enable row level security;
revoke all on public.provider_connections from anon;
create index provider_connections_project_seq_idx on public.provider_connections (project_id, seq desc);

create trigger provider_connections_stamp_live_row before insert or update on public.provider_connections
  for each row execute function public.stamp_live_row();
create trigger provider_connections_touch_updated_at before update on public.provider_connections
  for each row execute function public.touch_updated_at();

create policy "Members can read their project's provider connections"
  on public.provider_connections for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Operators can add provider connections to their project"
  on public.provider_connections for insert to authenticated
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Operators can edit their project's provider connections"
  on public.provider_connections for update to authenticated
  using ((select public.has_project_role(project_id, array['owner', 'operator'])))
  with check ((select public.has_project_role(project_id, array['owner', 'operator'])));

create policy "Owners can remove provider connections from their project"
  on public.provider_connections for delete to authenticated
  using ((select public.has_project_role(project_id, array['owner'])));

create or replace function public.guard_provider_key_fields() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if tg_op = 'INSERT' and (new.key_last4 is not null or new.key_updated_at is not null) then
    raise exception 'key_last4 and key_updated_at are set by the executor when it stores a key'
      using errcode = '42501', hint = 'Create the connection without them, then set its key through the Control API (POST /api/providers/:id/key).';
  end if;
  if tg_op = 'UPDATE' and (new.key_last4 is distinct from old.key_last4 or new.key_updated_at is distinct from old.key_updated_at) then
    raise exception 'key_last4 and key_updated_at of connection % can only change when the executor stores a key', old.id
      using errcode = '42501', hint = 'Set or remove the key through the Control API (POST /api/providers/:id/key).';
  end if;
  if tg_op = 'UPDATE' and new.project_id <> old.project_id then
    raise exception 'Provider connection % cannot move to another project', old.id
      using errcode = '42501', hint = 'Create a connection in the other project instead.';
  end if;
  return new;
end;
$$;
comment on function public.guard_provider_key_fields() is 'Trigger on provider_connections: signed-in users can neither set key_last4 / key_updated_at (only the executor does, when it stores an encrypted key) nor move a connection to another project.';
revoke all on function public.guard_provider_key_fields() from public, anon, authenticated;

create trigger provider_connections_guard_key_fields before insert or update on public.provider_connections
  for each row execute function public.guard_provider_key_fields();

create table public.provider_connection_secrets (
  connection_id uuid primary key,
  project_id uuid not null references public.projects (id) on delete cascade,
  ciphertext text not null check (
    length(ciphertext) <= 20000
    and ciphertext ~ '^v1\.[0-9a-f]{8}\.[A-Za-z0-9+/_=-]+\.[A-Za-z0-9+/_=-]+\.[A-Za-z0-9+/_=-]+$'
  ),
  updated_at timestamptz not null default now(),
  foreign key (connection_id, project_id) references public.provider_connections (id, project_id) on delete cascade
);
comment on table public.provider_connection_secrets is 'The encrypted API key of a provider connection: v1.<kekId>.<iv b64>.<tag b64>.<ciphertext b64> (AES-256-GCM under a key-encryption key only the executor has, the connection id as additional data). Service role only: RLS with no policy, no grants to anon or authenticated, not published.';
alter table public.provider_connection_secrets enable row level security;
revoke all on public.provider_connection_secrets from public, anon, authenticated;
grant select, insert, update, delete on public.provider_connection_secrets to service_role;
create index provider_connection_secrets_project_id_idx on public.provider_connection_secrets (project_id);

create trigger provider_connection_secrets_touch_updated_at before update on public.provider_connection_secrets
  for each row execute function public.touch_updated_at();
