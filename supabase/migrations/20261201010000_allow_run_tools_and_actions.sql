-- Runs give agents tools. The read-only ones (read_file, list_files, search_text, read_task,
-- list_tasks) run directly in the workspace; apply_changeset is the action an implement run
-- proposes. The checks learn the new names (AGENT_TOOLS and ACTION_TYPES in shared), and every
-- agent, existing or new, may read: reading changes nothing, so it needs no approval.

alter table public.action_proposals
  drop constraint action_proposals_action_type_check,
  add constraint action_proposals_action_type_check
    check (action_type in ('create_task', 'schedule_job', 'edit_doc', 'send_message', 'api_call', 'file_write', 'apply_changeset'));
comment on table public.action_proposals is 'Actions agents propose (create_task, schedule_job, edit_doc, send_message, api_call, file_write, apply_changeset) with params (validated per type by ZActionProposalParams in shared) and params_hash = action_params_hash(params), risk, blast radius, reversibility, rollback plan and expiry. State machine (enforced by trigger): proposed -> approved | rejected | expired -> executing -> executed | failed. An approval is bound to approved_params_hash; the executor runs only when params still hash to it. Appears as a card in its task thread (task_events approval_request) or chat thread (an action_proposal message), linked by id. run_id links the proposals a run made.';

alter table public.agents
  drop constraint agents_tools_enabled_check,
  add constraint agents_tools_enabled_check check (tools_enabled <@ array[
    'read_file', 'list_files', 'search_text', 'read_task', 'list_tasks',
    'create_task', 'schedule_job', 'edit_doc', 'send_message', 'api_call', 'file_write', 'apply_changeset', 'hand_off'
  ]::text[]),
  alter column tools_enabled set default '{read_file,list_files,search_text,read_task,list_tasks}';

-- Existing agents keep their tools and gain the read-only ones they lack (in READ_ONLY_TOOLS order).
update public.agents a
set tools_enabled = a.tools_enabled || array(
  select t from unnest(array['read_file', 'list_files', 'search_text', 'read_task', 'list_tasks']) with ordinality as r(t, n)
  where not (t = any (a.tools_enabled))
  order by n
)
where not (a.tools_enabled @> array['read_file', 'list_files', 'search_text', 'read_task', 'list_tasks']);

comment on column public.agents.tools_enabled is 'The tools the agent may use: read-only tools (read_file, list_files, search_text, read_task, list_tasks) run in the workspace without approval; hand_off passes a run''s work to another agent; every other tool is an action it may propose (apply_changeset through an implement run''s changeset), and a proposal for any other action is refused (action_proposals trigger). New agents get the read-only tools by default.';

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
      'Tools enabled lists a tool that does not exist: choose among read_file, list_files, search_text, read_task, list_tasks, '
      || 'create_task, schedule_job, edit_doc, send_message, api_call, file_write, apply_changeset, hand_off'
    when 'agents_agent_key_check' then
      'An agent key is lower-case letters, digits, _ or -, starting with a letter (at most 32 characters)'
    when 'project_chat_threads_project_id_thread_key_key' then
      format('A DM thread for @%s already exists in this project: pick another key', coalesce(p_profile ->> 'agent_key', p_agent_key))
    else 'The profile was refused: ' || p_message || '. Fix that field and save again'
  end
$$;
comment on function public.describe_provision_error(text, text, jsonb, text) is 'The sentence an operator sees when the database refuses an agent provision request: what is wrong and what to do, from the violated constraint.';
