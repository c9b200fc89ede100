-- Doc references: "#runbook" (a project doc, by its doc type) or "#scout/memory" (an agent's doc) in
-- an operator's chat message or task comment puts that doc's current text into the context of the
-- delivery or run the message starts.
--
-- Where the references live: metadata.doc_refs = [{id, ref, title}] on project_chat_messages and
-- task_events, resolved in the database at insert and never taken from the client. metadata rather
-- than a new column because every reader of messages (live store, realtime, the executor's row
-- schemas, the shared row types) already passes metadata through, and metadata already says what a
-- message set in motion (command, run_id, routed_reason). A trigger overwrites whatever a client
-- put under doc_refs, so it is as trustworthy as a column; it keeps the title as sent so a chip can
-- still be shown after the doc is deleted (there is no foreign key: a dangling id is reported as
-- missing when a context is loaded).
--
-- Scoping (decided): only docs of the message's project resolve. A project-wide doc goes into the
-- context of any agent of the project; an agent's doc only into that agent's own context. Another
-- agent's doc is withheld and named as withheld, so the agent (and the operator reading its reply)
-- knows why: agents' docs are their instructions and memory, and pasting one agent's instructions
-- into another's prompt would make it act on a persona it does not have. To share such a doc, make
-- it a project doc.

create or replace function public.doc_ref_names(p_text text) returns text[]
language sql
immutable
set search_path = ''
as $$
  -- "#name" or "#agent/name" as a word of its own: not inside a word, a URL ("/#x"), an HTML entity
  -- ("&#x27;") or a heading ("## x" has a space; "##x" is refused by the lookbehind), not longer
  -- than the keys allow. The same expression is in web/src/features/doc-refs/parse-doc-refs.ts.
  select coalesce(array_agg(x.name order by x.first_at), '{}')
  from (
    select lower(m[1]) as name, min(n) as first_at
    from regexp_matches(
      coalesce(p_text, ''),
      '(?<![[:alnum:]_#&/.@-])#([a-z][a-z0-9_-]{0,31}(?:/[a-z][a-z0-9_]{0,31})?)(?![[:alnum:]_/-])',
      'gi'
    ) with ordinality as r(m, n)
    group by lower(m[1])
  ) x
$$;
comment on function public.doc_ref_names(text) is 'The doc references of a text, lower-cased, each once, in order of first appearance: "#runbook" -> runbook (a project doc by doc type), "#scout/memory" -> scout/memory (agent scout''s memory doc). Headings, URL fragments and entities are not references.';
revoke all on function public.doc_ref_names(text) from public, anon;
grant execute on function public.doc_ref_names(text) to authenticated, service_role;

create or replace function public.doc_refs_limit() returns integer
language sql
immutable
set search_path = ''
as $$ select 10 $$;
comment on function public.doc_refs_limit() is 'At most this many docs are referenced by one message (the first ones that resolve); more would only be cut from the context anyway.';

create or replace function public.resolve_doc_refs(p_project_id uuid, p_text text) returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('id', d.id, 'ref', d.name, 'title', d.title) order by d.pos), '[]'::jsonb)
  from (
    select b.id, n.name, b.title, n.pos
    from unnest(public.doc_ref_names(p_text)) with ordinality as n(name, pos)
    join public.brain_docs b
      on b.project_id = p_project_id
     and b.agent_key is not distinct from (case when n.name like '%/%' then split_part(n.name, '/', 1) end)
     and b.doc_type = (case when n.name like '%/%' then split_part(n.name, '/', 2) else n.name end)
    order by n.pos
    limit public.doc_refs_limit()
  ) d
$$;
comment on function public.resolve_doc_refs(uuid, text) is 'The docs of project p_project_id a text references (doc_ref_names), as [{id, ref, title}] in order, at most doc_refs_limit(); a reference that names no doc of the project is left out (it stays plain text). Runs with the caller''s rights.';
revoke all on function public.resolve_doc_refs(uuid, text) from public, anon;
grant execute on function public.resolve_doc_refs(uuid, text) to authenticated, service_role;

create or replace function public.stamp_doc_refs() returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_refs jsonb;
begin
  if tg_op = 'UPDATE' then
    -- Fixed when the message was sent: a doc created later does not change what it referenced.
    v_refs := old.metadata -> 'doc_refs';
  else
    v_refs := public.resolve_doc_refs(new.project_id, new.content);
  end if;
  new.metadata := coalesce(new.metadata, '{}'::jsonb) - 'doc_refs'
    || case when v_refs is null or v_refs = '[]'::jsonb then '{}'::jsonb else jsonb_build_object('doc_refs', v_refs) end;
  return new;
end;
$$;
comment on function public.stamp_doc_refs() is 'Trigger on project_chat_messages and task_events (operators'' messages): sets metadata.doc_refs to the docs the text references (resolve_doc_refs), dropping any client-provided value; absent when none resolved. On update it keeps the references the message was sent with.';
revoke all on function public.stamp_doc_refs() from public, anon, authenticated;

create trigger project_chat_messages_stamp_doc_refs before insert or update on public.project_chat_messages
  for each row when (new.author_type = 'user')
  execute function public.stamp_doc_refs();
-- task_events are append-only: insert only.
create trigger task_events_stamp_doc_refs before insert on public.task_events
  for each row when (new.author_type = 'user')
  execute function public.stamp_doc_refs();

create or replace function public.load_referenced_docs(p_project_id uuid, p_agent_key text, p_refs jsonb) returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(
    case
      when b.id is null then
        jsonb_build_object('id', r.item ->> 'id', 'ref', r.item ->> 'ref', 'title', coalesce(r.item ->> 'title', ''), 'status', 'missing')
      when b.agent_key is not null and b.agent_key is distinct from p_agent_key then
        jsonb_build_object('id', b.id, 'ref', r.item ->> 'ref', 'title', b.title, 'agent_key', b.agent_key, 'doc_type', b.doc_type, 'status', 'withheld')
      else
        jsonb_build_object('id', b.id, 'ref', r.item ->> 'ref', 'title', b.title, 'agent_key', b.agent_key, 'doc_type', b.doc_type,
                           'version', b.version, 'content', b.content, 'status', 'included')
    end
    order by r.pos), '[]'::jsonb)
  from jsonb_array_elements(case when jsonb_typeof(p_refs) = 'array' then p_refs else '[]'::jsonb end) with ordinality as r(item, pos)
  left join public.brain_docs b
    on b.project_id = p_project_id
   and (r.item ->> 'id') ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
   and b.id = (r.item ->> 'id')::uuid
  where r.pos <= public.doc_refs_limit()
$$;
comment on function public.load_referenced_docs(uuid, text, jsonb) is 'Executor only: the docs of a message''s metadata.doc_refs as agent p_agent_key of project p_project_id may read them, in order: status included (with the current content and version: a project-wide doc, or the agent''s own), withheld (another agent''s doc: no content) or missing (deleted, or not of this project: no content).';
revoke all on function public.load_referenced_docs(uuid, text, jsonb) from public, anon, authenticated;
grant execute on function public.load_referenced_docs(uuid, text, jsonb) to service_role;

create or replace function public.run_doc_refs(p_run_id uuid) returns jsonb
language sql
stable
set search_path = ''
as $$
  -- A fix or test run queued after a command inherits the references of the message that started the chain.
  with recursive chain as (
    select r.id, r.parent_run_id, r.source_message_id, r.source_task_event_id, 1 as depth
    from public.ai_runs r where r.id = p_run_id
    union all
    select p.id, p.parent_run_id, p.source_message_id, p.source_task_event_id, c.depth + 1
    from public.ai_runs p join chain c on p.id = c.parent_run_id
    where c.depth < 20
  )
  select coalesce((
    select refs
    from chain c
    cross join lateral (
      select coalesce(
        (select m.metadata -> 'doc_refs' from public.project_chat_messages m where m.id = c.source_message_id),
        (select e.metadata -> 'doc_refs' from public.task_events e where e.id = c.source_task_event_id)
      ) as refs
    ) x
    where x.refs is not null
    order by c.depth
    limit 1
  ), '[]'::jsonb)
$$;
comment on function public.run_doc_refs(uuid) is 'Executor only: the doc references (metadata.doc_refs) of the chat message or task comment that started the run, else of the nearest parent run''s; [] when none.';
revoke all on function public.run_doc_refs(uuid) from public, anon, authenticated;
grant execute on function public.run_doc_refs(uuid) to service_role;

-- The two context loaders are extended, not copied: the existing bodies (which other changes edit)
-- keep working under a new name, and the loaders the claim functions call add referenced_docs.
alter function public.load_chat_delivery_context(uuid, integer) rename to load_chat_delivery_base_context;
comment on function public.load_chat_delivery_base_context(uuid, integer) is 'Internal: load_chat_delivery_context without referenced_docs: the message of a delivery with its thread, the agent (null when it was removed), the project mission, the agent''s docs, the last p_history_limit messages before it (oldest first), the project''s agent_defaults (null when unset), connections (the provider_connections rows the settings resolution could pick, each with its ciphertext or null) and budgets_apply, as one JSON document. Null when the delivery or message is gone.';
revoke all on function public.load_chat_delivery_base_context(uuid, integer) from public, anon, authenticated;
grant execute on function public.load_chat_delivery_base_context(uuid, integer) to service_role;

create function public.load_chat_delivery_context(p_delivery_id uuid, p_history_limit integer default 20) returns jsonb
language sql
stable
set search_path = ''
as $$
  select x.base || jsonb_build_object('referenced_docs', public.load_referenced_docs(d.project_id, d.agent_key, m.metadata -> 'doc_refs'))
  from public.chat_delivery_queue d
  join public.project_chat_messages m on m.id = d.message_id
  cross join lateral (select public.load_chat_delivery_base_context(d.id, p_history_limit) as base) x
  where d.id = p_delivery_id and x.base is not null
$$;
comment on function public.load_chat_delivery_context(uuid, integer) is 'Executor only: load_chat_delivery_base_context (message, thread, agent, mission, agent_docs, history, agent_defaults, connections, budgets_apply) plus referenced_docs: the docs the message references, as the delivery''s agent may read them (load_referenced_docs). Null when the delivery or message is gone.';
revoke all on function public.load_chat_delivery_context(uuid, integer) from public, anon, authenticated;
grant execute on function public.load_chat_delivery_context(uuid, integer) to service_role;

alter function public.load_ai_run_context(uuid) rename to load_ai_run_base_context;
comment on function public.load_ai_run_base_context(uuid) is 'Internal: load_ai_run_context without referenced_docs (run, agent, agent_defaults, connections, budgets_apply, task, task_events, thread, thread_messages, mission, agent_docs, run_settings, parent, handoff_note, project_tasks). Null when the run does not exist.';
revoke all on function public.load_ai_run_base_context(uuid) from public, anon, authenticated;
grant execute on function public.load_ai_run_base_context(uuid) to service_role;

create function public.load_ai_run_context(p_run_id uuid) returns jsonb
language sql
stable
set search_path = ''
as $$
  select x.base || jsonb_build_object('referenced_docs', public.load_referenced_docs(r.project_id, r.agent_key, public.run_doc_refs(r.id)))
  from public.ai_runs r
  cross join lateral (select public.load_ai_run_base_context(r.id) as base) x
  where r.id = p_run_id and x.base is not null
$$;
comment on function public.load_ai_run_context(uuid) is 'Executor only: load_ai_run_base_context (everything a run needs) plus referenced_docs: the docs referenced by the message or comment that started the run (run_doc_refs), as the run''s agent may read them (load_referenced_docs). Null when the run does not exist.';
revoke all on function public.load_ai_run_context(uuid) from public, anon, authenticated;
grant execute on function public.load_ai_run_context(uuid) to service_role;
