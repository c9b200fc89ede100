-- Agent provisioning as an outbox: the dashboard writes a request (create / update / delete an
-- agent) and the executor validates its profile and applies it. In Backup mode the request waits,
-- queued, until an executor is back; requests for one agent apply in the order they were made.

create table public.agent_provision_requests (
  id uuid primary key default extensions.gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  action text not null check (action in ('create', 'update', 'delete')),
  -- No foreign key: a request is history and outlives the agent it removed.
  agent_id uuid,
  agent_key text not null check (agent_key ~ '^[a-z][a-z0-9_-]{0,31}$'),
  profile jsonb not null default '{}'::jsonb check (jsonb_typeof(profile) = 'object' and length(profile::text) <= 100000),
  status text not null default 'queued' check (status in ('queued', 'applied', 'failed')),
  error text check (length(error) <= 2000),
  requested_by uuid references auth.users (id) on delete set null default auth.uid(),
  created_at timestamptz not null default now(),
  applied_at timestamptz,
  applied_by text check (length(applied_by) <= 200),
  seq bigint not null default nextval('public.live_seq'),
  constraint agent_provision_requests_failure_has_reason check (status <> 'failed' or error is not null),
  constraint agent_provision_requests_outcome_is_stamped check (status = 'queued' or applied_at is not null)
);
comment on table public.agent_provision_requests is 'Requests to create, update (a partial profile: only the changed fields) or delete an agent, written by operators (deletes by owners) through request_agent_provision and applied by the executor (apply_agent_provision_request) after validating the profile with ZAgentProfile: queued -> applied | failed (with a reason in words). Requests for one agent apply in order.';
comment on column public.agent_provision_requests.agent_key is 'The agent''s key when the request was made (the new key for a create; a rename puts the new key in profile.agent_key).';
comment on column public.agent_provision_requests.seq is 'Live sequence (public.live_seq), renewed on every write.';
alter table public.agent_provision_requests enable row level security;
revoke all on public.agent_provision_requests from anon;
revoke update, delete, truncate on public.agent_provision_requests from authenticated;
create index agent_provision_requests_project_seq_idx on public.agent_provision_requests (project_id, seq desc);
create index agent_provision_requests_queued_idx on public.agent_provision_requests (project_id, agent_key, created_at) where status = 'queued';
create index agent_provision_requests_queued_order_idx on public.agent_provision_requests (created_at) where status = 'queued';

create trigger agent_provision_requests_stamp_live_row before insert or update on public.agent_provision_requests
  for each row execute function public.stamp_live_row();

create policy "Members can read their project's agent provision requests"
  on public.agent_provision_requests for select to authenticated
  using ((select public.has_project_role(project_id)));

create policy "Operators can request agent changes, and owners agent removals, in their project"
  on public.agent_provision_requests for insert to authenticated
  with check (
    status = 'queued' and error is null and applied_at is null and applied_by is null
    and requested_by = (select auth.uid())
    and (select public.has_project_role(project_id, case when action = 'delete' then array['owner'] else array['owner', 'operator'] end))
  );

create or replace function public.request_agent_provision(
  p_id uuid,
  p_project_id uuid,
  p_action text,
  p_agent_key text,
  p_profile jsonb default '{}'::jsonb
)
returns public.agent_provision_requests
language plpgsql
set search_path = ''
as $$
declare
  v_request public.agent_provision_requests;
begin
  if p_id is null then
    raise exception 'A provision request needs its id' using errcode = '22023', hint = 'Pick a uuid in the client, so sending it again is a no-op.';
  end if;
  select * into v_request from public.agent_provision_requests where id = p_id;
  if found then
    return v_request;
  end if;
  insert into public.agent_provision_requests (id, project_id, action, agent_id, agent_key, profile)
  values (
    p_id, p_project_id, p_action,
    case when p_action in ('update', 'delete') then
      (select a.id from public.agents a where a.project_id = p_project_id and a.agent_key = p_agent_key)
    end,
    p_agent_key, coalesce(p_profile, '{}'::jsonb)
  )
  on conflict (id) do nothing
  returning * into v_request;
  if v_request.id is null then
    select * into v_request from public.agent_provision_requests where id = p_id;
  end if;
  if v_request.id is null then
    raise exception 'Provision request id % is already taken', p_id
      using errcode = '23505', hint = 'Pick a new uuid for a new request.';
  end if;
  return v_request;
end;
$$;
comment on function public.request_agent_provision(uuid, uuid, text, text, jsonb) is 'Writes an agent provision request as the caller (RLS: operators; a delete needs an owner), idempotent on p_id (a resend returns the stored row). For update and delete it records the agent''s current id. The executor applies it (apply_agent_provision_request).';
revoke all on function public.request_agent_provision(uuid, uuid, text, text, jsonb) from public, anon;
grant execute on function public.request_agent_provision(uuid, uuid, text, text, jsonb) to authenticated, service_role;

create or replace function public.describe_provision_error(p_constraint text, p_message text, p_profile jsonb, p_agent_key text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case coalesce(p_constraint, '')
    when 'agents_project_id_agent_key_key' then
      format('An agent with key %s already exists in this project: pick another key', coalesce(p_profile ->> 'agent_key', p_agent_key))
    when 'agents_provider_connection_id_fkey' then
      'The provider connection is not one of this project''s connections: pick one from Settings → Providers'
    when 'agents_connection_matches_provider' then
      'A provider connection is needed exactly when the provider is "connection": pick a connection, or another provider'
    when 'agents_output_fits_context' then
      'The max output tokens must be smaller than the max context tokens: lower the output or raise the context'
    when 'agents_capabilities_check' then
      'Capabilities must be at most 20 tags of lower-case letters, digits, _ . + or - (such as sql, react, research)'
    when 'agents_tools_enabled_check' then
      'Tools enabled lists a tool that does not exist: choose among create_task, schedule_job, edit_doc, send_message, api_call, file_write'
    when 'agents_agent_key_check' then
      'An agent key is lower-case letters, digits, _ or -, starting with a letter (at most 32 characters)'
    when 'project_chat_threads_project_id_thread_key_key' then
      format('A DM thread for @%s already exists in this project: pick another key', coalesce(p_profile ->> 'agent_key', p_agent_key))
    else 'The profile was refused: ' || p_message || '. Fix that field and save again'
  end
$$;
comment on function public.describe_provision_error(text, text, jsonb, text) is 'The sentence an operator sees when the database refuses an agent provision request: what is wrong and what to do, from the violated constraint.';
revoke all on function public.describe_provision_error(text, text, jsonb, text) from public, anon, authenticated;
grant execute on function public.describe_provision_error(text, text, jsonb, text) to service_role;

create or replace function public.provision_result(p_request public.agent_provision_requests) returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object('request_id', p_request.id, 'status', p_request.status, 'agent_id', p_request.agent_id, 'error', p_request.error)
$$;
comment on function public.provision_result(public.agent_provision_requests) is 'The answer of apply_agent_provision_request for a request: {request_id, status, agent_id, error}.';
revoke all on function public.provision_result(public.agent_provision_requests) from public, anon, authenticated;
grant execute on function public.provision_result(public.agent_provision_requests) to service_role;

create or replace function public.apply_agent_provision_request(p_id uuid, p_profile jsonb, p_executor_id text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_request public.agent_provision_requests;
  v_profile jsonb;
  v_fields public.agents;
  v_agent public.agents;
  v_old_key text;
  v_constraint text;
  v_message text;
  v_summary text;
begin
  select * into v_request from public.agent_provision_requests where id = p_id for update;
  if not found then
    raise exception 'Agent provision request % does not exist', p_id
      using errcode = 'P0002', hint = 'The dashboard writes the request (request_agent_provision) before asking the executor to apply it.';
  end if;
  if v_request.status <> 'queued' then
    return public.provision_result(v_request);
  end if;
  -- Requests for one agent apply in the order they were made: an older one still queued goes first.
  if exists (
    select 1 from public.agent_provision_requests o
    where o.project_id = v_request.project_id and o.status = 'queued' and o.id <> v_request.id
      and (o.agent_key = v_request.agent_key or o.agent_id = v_request.agent_id or o.profile ->> 'agent_key' = v_request.agent_key)
      and (o.created_at, o.seq) < (v_request.created_at, v_request.seq)
  ) then
    return public.provision_result(v_request);
  end if;

  v_profile := coalesce(p_profile, v_request.profile);
  if jsonb_typeof(v_profile) is distinct from 'object' then
    raise exception 'The profile of provision request % must be a JSON object', p_id using errcode = '22023';
  end if;
  begin
    v_fields := jsonb_populate_record(null::public.agents, v_profile);
    if v_request.action = 'create' then
      insert into public.agents (
        project_id, agent_key, display_name, role, enabled, system_prompt, tools_enabled, risk_tolerance, capabilities,
        provider, provider_connection_id, model, temperature, max_context_tokens, max_output_tokens, verbosity
      )
      values (
        v_request.project_id, v_request.agent_key, v_fields.display_name, coalesce(v_fields.role, ''), coalesce(v_fields.enabled, true),
        coalesce(v_fields.system_prompt, ''), coalesce(v_fields.tools_enabled, '{}'), coalesce(v_fields.risk_tolerance, 'low'),
        coalesce(v_fields.capabilities, '{}'), v_fields.provider, v_fields.provider_connection_id, v_fields.model, v_fields.temperature,
        v_fields.max_context_tokens, v_fields.max_output_tokens, v_fields.verbosity
      )
      returning * into v_agent;
      v_summary := format('Created agent @%s (%s)', v_agent.agent_key, v_agent.display_name);
    else
      select * into v_agent from public.agents a
      where a.project_id = v_request.project_id
        and (a.id = v_request.agent_id or (v_request.agent_id is null and a.agent_key = v_request.agent_key))
      for update;
      if not found then
        raise exception 'no agent' using errcode = 'P0002';
      end if;
      v_old_key := v_agent.agent_key;
      if v_request.action = 'delete' then
        delete from public.agents where id = v_agent.id;
        v_summary := format('Removed agent @%s', v_old_key);
      else
        update public.agents a set
          agent_key = case when v_profile ? 'agent_key' then v_fields.agent_key else a.agent_key end,
          display_name = case when v_profile ? 'display_name' then v_fields.display_name else a.display_name end,
          role = case when v_profile ? 'role' then coalesce(v_fields.role, '') else a.role end,
          enabled = case when v_profile ? 'enabled' then coalesce(v_fields.enabled, a.enabled) else a.enabled end,
          system_prompt = case when v_profile ? 'system_prompt' then coalesce(v_fields.system_prompt, '') else a.system_prompt end,
          tools_enabled = case when v_profile ? 'tools_enabled' then coalesce(v_fields.tools_enabled, '{}') else a.tools_enabled end,
          risk_tolerance = case when v_profile ? 'risk_tolerance' then coalesce(v_fields.risk_tolerance, a.risk_tolerance) else a.risk_tolerance end,
          capabilities = case when v_profile ? 'capabilities' then coalesce(v_fields.capabilities, '{}') else a.capabilities end,
          provider = case when v_profile ? 'provider' then v_fields.provider else a.provider end,
          provider_connection_id = case
            when v_profile ? 'provider_connection_id' then v_fields.provider_connection_id
            when v_profile ? 'provider' and v_fields.provider is distinct from 'connection' then null
            else a.provider_connection_id end,
          model = case when v_profile ? 'model' then v_fields.model else a.model end,
          temperature = case when v_profile ? 'temperature' then v_fields.temperature else a.temperature end,
          max_context_tokens = case when v_profile ? 'max_context_tokens' then v_fields.max_context_tokens else a.max_context_tokens end,
          max_output_tokens = case when v_profile ? 'max_output_tokens' then v_fields.max_output_tokens else a.max_output_tokens end,
          verbosity = case when v_profile ? 'verbosity' then v_fields.verbosity else a.verbosity end
        where a.id = v_agent.id
        returning * into v_agent;
        if v_agent.agent_key <> v_old_key then
          -- The agent's brain docs, DM thread and waiting deliveries follow it to its new key
          -- (its tasks follow through the foreign key).
          update public.brain_docs set agent_key = v_agent.agent_key where project_id = v_agent.project_id and agent_key = v_old_key;
          update public.project_chat_threads
          set agent_key = v_agent.agent_key, thread_key = 'DM:' || v_agent.agent_key, title = 'DM with ' || v_agent.agent_key
          where project_id = v_agent.project_id and kind = 'dm' and agent_key = v_old_key;
          update public.chat_delivery_queue set agent_key = v_agent.agent_key
          where project_id = v_agent.project_id and agent_key = v_old_key and status = 'queued';
          v_summary := format('Renamed agent @%s to @%s', v_old_key, v_agent.agent_key);
        else
          v_summary := format('Updated agent @%s (%s)', v_agent.agent_key,
            (select string_agg(replace(k, '_', ' '), ', ' order by k) from jsonb_object_keys(v_profile) k));
        end if;
      end if;
    end if;
  exception
    when unique_violation or foreign_key_violation or check_violation or not_null_violation or no_data_found
      or invalid_text_representation or numeric_value_out_of_range or datetime_field_overflow or string_data_right_truncation then
      get stacked diagnostics v_constraint = constraint_name, v_message = message_text;
      if v_message = 'no agent' then
        v_message := format('Agent @%s does not exist in this project (it was removed or renamed): reload the page', v_request.agent_key);
      else
        v_message := public.describe_provision_error(v_constraint, v_message, v_profile, v_request.agent_key);
      end if;
      update public.agent_provision_requests
      set status = 'failed', error = left(v_message, 2000), applied_at = now(), applied_by = p_executor_id
      where id = p_id
      returning * into v_request;
      insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
      values (v_request.project_id, 'system', coalesce(p_executor_id, 'executor'), 'agent.provision_failed',
              left(format('Could not %s agent @%s: %s', v_request.action, v_request.agent_key, v_message), 1000),
              jsonb_build_object('request_id', v_request.id, 'agent_key', v_request.agent_key, 'action', v_request.action));
      return public.provision_result(v_request);
  end;

  update public.agent_provision_requests
  set status = 'applied', agent_id = v_agent.id, applied_at = now(), applied_by = p_executor_id
  where id = p_id
  returning * into v_request;
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (
    v_request.project_id,
    case when v_request.requested_by is not null then 'user' else 'system' end,
    coalesce(v_request.requested_by::text, coalesce(p_executor_id, 'executor')),
    'agent.' || case v_request.action when 'create' then 'created' when 'update' then 'updated' else 'removed' end,
    left(coalesce(v_summary, 'Changed agent @' || v_request.agent_key), 1000),
    jsonb_build_object('request_id', v_request.id, 'agent_id', v_agent.id, 'agent_key', v_agent.agent_key, 'action', v_request.action)
  );
  return public.provision_result(v_request);
end;
$$;
comment on function public.apply_agent_provision_request(uuid, jsonb, text) is 'Executor only: applies a queued agent provision request with p_profile (the profile the executor validated with ZAgentProfile; null: the stored one). create inserts the agent; update changes only the keys present (agent_key renames it, and its docs, DM thread and queued deliveries follow); delete removes it. Marks the request applied with an activity, or failed with a sentence when the database refuses it (duplicate key, foreign connection, a check). A request that is not queued is returned as is; one with an older queued request for the same agent stays queued. Answers {request_id, status, agent_id, error}.';
revoke all on function public.apply_agent_provision_request(uuid, jsonb, text) from public, anon, authenticated;
grant execute on function public.apply_agent_provision_request(uuid, jsonb, text) to service_role;

create or replace function public.fail_agent_provision_request(p_id uuid, p_error text, p_executor_id text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_request public.agent_provision_requests;
begin
  select * into v_request from public.agent_provision_requests where id = p_id for update;
  if not found then
    raise exception 'Agent provision request % does not exist', p_id using errcode = 'P0002';
  end if;
  if v_request.status <> 'queued' then
    return public.provision_result(v_request);
  end if;
  update public.agent_provision_requests
  set status = 'failed', error = left(coalesce(nullif(btrim(p_error), ''), 'The executor refused the profile'), 2000),
      applied_at = now(), applied_by = p_executor_id
  where id = p_id
  returning * into v_request;
  insert into public.activities (project_id, actor_type, actor, kind, summary, ref)
  values (v_request.project_id, 'system', coalesce(p_executor_id, 'executor'), 'agent.provision_failed',
          left(format('Could not %s agent @%s: %s', v_request.action, v_request.agent_key, v_request.error), 1000),
          jsonb_build_object('request_id', v_request.id, 'agent_key', v_request.agent_key, 'action', v_request.action));
  return public.provision_result(v_request);
end;
$$;
comment on function public.fail_agent_provision_request(uuid, text, text) is 'Executor only: marks a queued agent provision request failed with p_error (what the executor''s profile validation refused, in words) and records an activity. A request that is not queued is returned as is. Answers {request_id, status, agent_id, error}.';
revoke all on function public.fail_agent_provision_request(uuid, text, text) from public, anon, authenticated;
grant execute on function public.fail_agent_provision_request(uuid, text, text) to service_role;

create or replace function public.claim_queued_provision_requests(p_limit integer default 50)
returns setof uuid
language sql
stable
set search_path = ''
as $$
  select r.id from public.agent_provision_requests r
  where r.status = 'queued'
  order by r.created_at, r.seq
  limit greatest(1, least(coalesce(p_limit, 50), 500))
$$;
comment on function public.claim_queued_provision_requests(integer) is 'Executor only: the ids of queued agent provision requests, oldest first (no lock: apply_agent_provision_request locks each one and keeps each agent''s order).';
revoke all on function public.claim_queued_provision_requests(integer) from public, anon, authenticated;
grant execute on function public.claim_queued_provision_requests(integer) to service_role;
