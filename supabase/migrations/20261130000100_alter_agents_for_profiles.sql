-- Agent profiles become editable and layered: a null model setting means "inherit the project
-- default" (project_settings agent_defaults, then the built-in model); an agent can run on one of
-- the project's provider connections; capabilities tag it for routing; tools_enabled lists only
-- known tools. agent_status gains 'paused' (a hard budget stopped the agent).

create or replace function public.is_capability_list(tags text[]) returns boolean
language sql
immutable
set search_path = ''
as $$
  select cardinality(tags) <= 20
    and not exists (select 1 from unnest(tags) t where t is null or t !~ '^[a-z0-9][a-z0-9_.+-]{0,31}$')
$$;
comment on function public.is_capability_list(text[]) is 'True when the array holds at most 20 capability tags, each lower-case letters, digits, _ . + or - (at most 32 characters, starting with a letter or digit). The shape of agents.capabilities (ZCapability in shared).';

alter table public.agents
  drop constraint agents_provider_check,
  alter column provider drop not null,
  alter column provider set default null,
  alter column model drop not null,
  alter column model set default null,
  alter column temperature drop not null,
  alter column temperature set default null,
  alter column max_context_tokens drop not null,
  alter column max_context_tokens set default null,
  alter column max_output_tokens drop not null,
  alter column max_output_tokens set default null,
  alter column verbosity drop not null,
  alter column verbosity set default null,
  add column provider_connection_id uuid,
  add column capabilities text[] not null default '{}';

-- Agents that ran on the built-in model by default now inherit it.
update public.agents set provider = null, model = null where provider = 'builtin' and model = 'builtin-offline';

alter table public.agents
  add constraint agents_provider_check check (provider in ('builtin', 'openai_compatible', 'anthropic', 'connection')),
  add constraint agents_provider_connection_id_fkey foreign key (provider_connection_id, project_id)
    references public.provider_connections (id, project_id),
  add constraint agents_connection_matches_provider check ((provider is not distinct from 'connection') = (provider_connection_id is not null)),
  add constraint agents_output_fits_context check (max_output_tokens is null or max_context_tokens is null or max_output_tokens < max_context_tokens),
  add constraint agents_capabilities_check check (public.is_capability_list(capabilities)),
  add constraint agents_tools_enabled_check check (tools_enabled <@ array['create_task', 'schedule_job', 'edit_doc', 'send_message', 'api_call', 'file_write']::text[]),
  -- The target of budgets' composite foreign key (an agent's budget stays in the agent's project).
  add constraint agents_id_project_id_key unique (id, project_id);
create index agents_provider_connection_id_idx on public.agents (provider_connection_id) where provider_connection_id is not null;

comment on table public.agents is 'An AI agent of a project and its profile: role, system prompt, tools, risk tolerance, capabilities, and model settings (provider or provider connection, model, temperature, context and output budget, verbosity; null = inherit the project''s agent_defaults, then the built-in model). Changed through agent_provision_requests, applied by the executor.';
comment on column public.agents.provider is 'builtin, openai_compatible / anthropic (the executor''s environment connection), connection (provider_connection_id), or null to inherit the project default.';
comment on column public.agents.provider_connection_id is 'The provider connection the agent runs on; set exactly when provider = ''connection''. A connection still used by an agent cannot be deleted (23503).';
comment on column public.agents.capabilities is 'Free tags such as sql, react or research (at most 20), used to route work to the agent that fits.';
comment on column public.agents.tools_enabled is 'The tools (today: action types) the agent may use; a proposal for any other action is refused (action_proposals trigger).';

-- Renaming an agent carries its assigned tasks along.
alter table public.tasks
  drop constraint tasks_project_id_assignee_agent_key_fkey,
  add constraint tasks_project_id_assignee_agent_key_fkey foreign key (project_id, assignee_agent_key)
    references public.agents (project_id, agent_key) on update cascade on delete set null (assignee_agent_key);

alter table public.agent_status
  drop constraint agent_status_status_check,
  add constraint agent_status_status_check check (status in ('idle', 'working', 'waiting', 'paused', 'error', 'offline'));
comment on table public.agent_status is 'What each agent is doing now: idle / working / waiting / paused (a hard budget stopped it) / error / offline, a one-line current action, last seen, and context usage with its breakdown. Written only by the executor (service role).';

-- agent_defaults holds the project's model settings for every agent (ZAgentDefaults in shared).
alter table public.project_settings
  add constraint agent_defaults_is_object check (
    key <> 'agent_defaults' or (
      jsonb_typeof(value) = 'object'
      and (value -> 'provider_connection_id' is null or jsonb_typeof(value -> 'provider_connection_id') = 'null'
           or (value ->> 'provider_connection_id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$')
    )
  );
comment on table public.project_settings is 'Project settings as key -> jsonb: labs_features (feature flags), team_room (posting limits), agent_defaults (the model settings every agent inherits).';
