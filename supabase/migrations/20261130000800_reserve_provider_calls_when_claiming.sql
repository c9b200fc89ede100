-- Budgets are checked where deliveries are claimed: claim_chat_delivery_batch (and so
-- complete_chat_deliveries, which claims the next deliveries while saving replies) reserves each
-- claimed delivery's provider call against the budgets that cover it, in the same transaction. A
-- busy executor then needs no extra round trip for budgets (measured: a separate reservation call
-- per batch cost 21-32 % of the delivery throughput with one executor). When another executor holds
-- one of those budgets at that moment, the claim does not wait behind it: the executor reserves those
-- deliveries' calls itself with reserve_provider_calls. Also: a pending reservation
-- left by a crashed executor stops counting after two hours, and finishing a call records the
-- provider it really used.

-- A reserved call's row is finished (updated) a moment later: room on its page lets that be a
-- heap-only update that touches no index.
alter table public.provider_calls set (fillfactor = 80);

create or replace function public.int_or_null(p_text text)
returns integer
language sql
immutable
set search_path = ''
as $$
  select case when p_text ~ '^[0-9]{1,9}$' then p_text::integer end
$$;
comment on function public.int_or_null(text) is 'p_text as an integer when it is one (up to 9 digits), else null: reads numbers from JSON settings without failing on bad input.';
revoke all on function public.int_or_null(text) from public, anon;
grant execute on function public.int_or_null(text) to authenticated, service_role;

create or replace function public.plan_claimed_provider_call(p_item jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_context jsonb := p_item -> 'context';
  v_agent jsonb := p_item -> 'context' -> 'agent';
  v_defaults jsonb := case when jsonb_typeof(p_item -> 'context' -> 'agent_defaults') = 'object'
    then p_item -> 'context' -> 'agent_defaults' else '{}'::jsonb end;
  v_override jsonb := case when jsonb_typeof(p_item -> 'context' -> 'message' -> 'metadata' -> 'settings_override') = 'object'
    then p_item -> 'context' -> 'message' -> 'metadata' -> 'settings_override' else '{}'::jsonb end;
  v_provider text;
  v_connection_id text;
  v_model text;
begin
  -- The order of resolveAgentSettings (the message's override, then the agent, then the project
  -- defaults; the layer that sets the provider also names the connection). This is only the hold:
  -- the executor resolves the settings itself and records what it really used.
  select l.value ->> 'provider', l.value ->> 'provider_connection_id' into v_provider, v_connection_id
  from (values (1, v_override), (2, v_agent), (3, v_defaults)) as l (rank, value)
  where l.value ->> 'provider' in ('builtin', 'openai_compatible', 'anthropic', 'connection')
  order by l.rank
  limit 1;
  v_provider := coalesce(v_provider, 'builtin');
  v_connection_id := case when v_provider = 'connection' then (
    select c ->> 'id' from jsonb_array_elements(v_context -> 'connections') c where c ->> 'id' = v_connection_id
  ) end;
  v_model := coalesce(
    nullif(btrim(v_override ->> 'model'), ''),
    nullif(btrim(v_agent ->> 'model'), ''),
    nullif(btrim(v_defaults ->> 'model'), ''),
    (select nullif(c ->> 'default_model', '') from jsonb_array_elements(v_context -> 'connections') c where c ->> 'id' = v_connection_id),
    'builtin-offline'
  );
  return jsonb_build_object(
    'id', extensions.gen_random_uuid(),
    'project_id', p_item -> 'delivery' ->> 'project_id',
    'agent_id', v_agent ->> 'id',
    'agent_key', v_agent ->> 'agent_key',
    'delivery_id', p_item -> 'delivery' ->> 'id',
    'provider', v_provider,
    'connection_id', v_connection_id,
    'model', left(v_model, 200),
    -- The context is cut to fit max_context_tokens, output included: the most a call can use.
    'reserved_tokens', coalesce(
      public.int_or_null(v_override ->> 'max_context_tokens'),
      public.int_or_null(v_agent ->> 'max_context_tokens'),
      public.int_or_null(v_defaults ->> 'max_context_tokens'),
      8000
    ),
    'settings', '{}'::jsonb
  );
end;
$$;
comment on function public.plan_claimed_provider_call(jsonb) is 'The provider call a claimed delivery ({delivery, context}) is about to make, as reserve_provider_calls takes it: a new call id, the provider, connection and model the settings name (message override, agent, project defaults) and reserved_tokens = the effective max_context_tokens, the most one call can use.';
revoke all on function public.plan_claimed_provider_call(jsonb) from public, anon, authenticated;
grant execute on function public.plan_claimed_provider_call(jsonb) to service_role;

create or replace function public.claim_chat_delivery_batch(
  p_executor_id text,
  p_limit integer default 10,
  p_message_id uuid default null,
  p_history_limit integer default 20
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_ids uuid[];
  v_items jsonb;
  v_plans jsonb;
  v_answers jsonb;
  v_uncontended boolean;
begin
  select coalesce(array_agg(c.id), '{}') into v_ids
  from public.claim_chat_deliveries(p_executor_id, p_limit, p_message_id) c;
  -- A second statement, so the context is read after the claim (message status 'delivered').
  select coalesce(jsonb_agg(
    jsonb_build_object('delivery', to_jsonb(d), 'context', public.load_chat_delivery_context(d.id, p_history_limit))
    order by d.available_at, d.created_at
  ), '[]'::jsonb) into v_items
  from public.chat_delivery_queue d
  where d.id = any (v_ids);

  -- The deliveries a budget covers get their call reserved now, all in one reserve_provider_calls.
  select coalesce(jsonb_agg(public.plan_claimed_provider_call(i.value) order by i.n), '[]'::jsonb) into v_plans
  from jsonb_array_elements(v_items) with ordinality as i (value, n)
  where (i.value -> 'context' ->> 'budgets_apply')::boolean is true
    and (i.value -> 'context' -> 'agent' ->> 'enabled')::boolean is true;
  if jsonb_array_length(v_plans) = 0 then
    return v_items;
  end if;
  -- Only when no other executor holds one of these budgets right now: a claim must not queue behind
  -- another executor's transaction. Otherwise the deliveries go without a reservation and the
  -- executor reserves them itself, in a short reserve_provider_calls call of its own.
  select count(*) = count(l.id) into v_uncontended
  from public.budgets b
  left join lateral (
    select k.id from public.budgets k where k.id = b.id for update skip locked
  ) l on true
  where exists (
    select 1 from jsonb_array_elements(v_plans) c
    where b.project_id = (c ->> 'project_id')::uuid and (b.agent_id is null or b.agent_id = (c ->> 'agent_id')::uuid)
  );
  if not v_uncontended then
    return v_items;
  end if;
  v_answers := public.reserve_provider_calls(v_plans);
  return (
    select jsonb_agg(
      case when r.answer is null then i.value else jsonb_set(i.value, '{context,reservation}', r.answer) end
      order by i.n
    )
    from jsonb_array_elements(v_items) with ordinality as i (value, n)
    left join lateral (
      select a.value as answer
      from jsonb_array_elements(v_plans) with ordinality as p (value, n)
      join jsonb_array_elements(v_answers) with ordinality as a (value, n) on a.n = p.n
      where p.value ->> 'delivery_id' = i.value -> 'delivery' ->> 'id'
    ) r on true
  );
end;
$$;
comment on function public.claim_chat_delivery_batch(text, integer, uuid, integer) is 'Executor only: claim_chat_deliveries plus each claimed delivery''s load_chat_delivery_context, as a JSON array of {delivery, context}, in one transaction. A delivery a budget covers (context.budgets_apply, agent enabled) has its provider call reserved in the same transaction (plan_claimed_provider_call, reserve_provider_calls) unless another transaction holds one of those budgets (then the executor reserves it itself): context.reservation = {ok, call_id, outcome, reason, budget_id}; ok false means the call would pass a hard limit and must not be made.';
revoke all on function public.claim_chat_delivery_batch(text, integer, uuid, integer) from public, anon, authenticated;
grant execute on function public.claim_chat_delivery_batch(text, integer, uuid, integer) to service_role;

create or replace function public.provider_call_spend(p_project_id uuid, p_agent_id uuid, p_unit text, p_since timestamp with time zone)
returns numeric
language plpgsql
stable
set search_path = ''
as $$
declare
  v_spent numeric;
begin
  -- Finished calls count what they used, pending ones what they reserved, refused ones nothing. A
  -- reservation still pending after two hours (longer than any provider or CLI timeout) was left by a
  -- crashed executor: it no longer counts.
  if p_agent_id is null then
    select coalesce(sum(case
      when c.outcome = 'budget_exceeded' or (c.outcome = 'pending' and c.created_at < now() - interval '2 hours') then 0
      when p_unit = 'tokens' then case when c.outcome = 'pending' then c.reserved_tokens else c.input_tokens + c.output_tokens end
      else coalesce(case when c.outcome = 'pending' then c.reserved_usd else c.cost_usd end, 0)
    end), 0) into v_spent
    from public.provider_calls c
    where c.project_id = p_project_id and c.created_at >= p_since;
  else
    select coalesce(sum(case
      when c.outcome = 'budget_exceeded' or (c.outcome = 'pending' and c.created_at < now() - interval '2 hours') then 0
      when p_unit = 'tokens' then case when c.outcome = 'pending' then c.reserved_tokens else c.input_tokens + c.output_tokens end
      else coalesce(case when c.outcome = 'pending' then c.reserved_usd else c.cost_usd end, 0)
    end), 0) into v_spent
    from public.provider_calls c
    where c.agent_id = p_agent_id and c.project_id = p_project_id and c.created_at >= p_since;
  end if;
  return v_spent;
end;
$$;
comment on function public.provider_call_spend(uuid, uuid, text, timestamptz) is 'What a project (p_agent_id null) or one agent spent since p_since, in tokens or usd: finished calls count their tokens / cost_usd, pending calls their reservation (for two hours at most), refused calls nothing. Security invoker: members see only their projects.';

create or replace function public.record_provider_call(p_call jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid := (p_call ->> 'id')::uuid;
  v_project_id uuid := (p_call ->> 'project_id')::uuid;
  v_model text := coalesce(nullif(p_call ->> 'model', ''), 'unknown');
  v_provider text := p_call ->> 'provider';
  v_input integer := greatest(coalesce((p_call ->> 'input_tokens')::integer, 0), 0);
  v_output integer := greatest(coalesce((p_call ->> 'output_tokens')::integer, 0), 0);
  v_outcome text := coalesce(p_call ->> 'outcome', 'ok');
  v_cost numeric;
  v_call public.provider_calls;
begin
  if v_id is null or v_project_id is null then
    raise exception 'A provider call needs its id and project_id' using errcode = '22023';
  end if;
  if v_outcome not in ('ok', 'error') then
    raise exception 'A finished provider call is ok or error (got %)', v_outcome
      using errcode = '22023', hint = 'Reserve with reserve_provider_call; a refused call is recorded there.';
  end if;
  v_cost := case when v_provider = 'builtin' then 0 else (
    select round((v_input * p.input_usd_per_mtok + v_output * p.output_usd_per_mtok) / 1000000, 6)
    from public.model_prices p where p.project_id = v_project_id and p.model = v_model
  ) end;
  insert into public.provider_calls as c (
    id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model, input_tokens, output_tokens, estimated,
    latency_ms, cost_usd, reserved_tokens, outcome, error, settings, finished_at
  )
  values (
    v_id, v_project_id, (p_call ->> 'agent_id')::uuid, p_call ->> 'agent_key', (p_call ->> 'delivery_id')::uuid, v_provider,
    (p_call ->> 'connection_id')::uuid, v_model, v_input, v_output, coalesce((p_call ->> 'estimated')::boolean, false),
    (p_call ->> 'latency_ms')::integer, v_cost, greatest(coalesce((p_call ->> 'reserved_tokens')::integer, 0), 0), v_outcome,
    left(p_call ->> 'error', 2000), coalesce(p_call -> 'settings', '{}'::jsonb), now()
  )
  on conflict (id) do update set
    provider = excluded.provider,
    connection_id = excluded.connection_id,
    model = excluded.model,
    input_tokens = excluded.input_tokens,
    output_tokens = excluded.output_tokens,
    estimated = excluded.estimated,
    latency_ms = excluded.latency_ms,
    cost_usd = excluded.cost_usd,
    outcome = excluded.outcome,
    error = excluded.error,
    settings = case when p_call ? 'settings' then excluded.settings else c.settings end,
    finished_at = excluded.finished_at
  where c.outcome = 'pending'
  returning * into v_call;
  if v_call.id is null then
    select * into v_call from public.provider_calls where id = v_id;
  end if;
  return jsonb_build_object('call_id', v_call.id, 'outcome', v_call.outcome, 'cost_usd', v_call.cost_usd);
end;
$$;
comment on function public.record_provider_call(jsonb) is 'Executor only, after a provider call: p_call = {id, project_id, agent_id, agent_key, delivery_id, provider, connection_id, model, reserved_tokens, settings, input_tokens, output_tokens, estimated, latency_ms, outcome: "ok" | "error", error}. Finishes the pending reservation with that id (with the provider, connection and model really used), or records the call when there was none; cost_usd is priced from model_prices (0 for builtin, null when the model has no price). A call already final is left as it is (a retry is a no-op). Answers {call_id, outcome, cost_usd}.';
