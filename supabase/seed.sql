-- Demo data for the local stack. Every statement is idempotent: re-running adds nothing.
-- The local operator account (printed by `pnpm dev`): operator@example.com / mission-control

insert into auth.users (id, email, encrypted_password, email_confirmed_at, raw_user_meta_data)
values (
  '00000000-0000-4000-8000-00000000000a',
  'operator@example.com',
  extensions.crypt('mission-control', extensions.gen_salt('bf', 10)),
  now(),
  '{"display_name": "Local operator"}'
)
on conflict (id) do nothing;

insert into public.projects (id, name, slug)
values ('00000000-0000-4000-8000-000000000001', 'Demo project', 'demo')
on conflict (id) do nothing;

insert into public.project_members (project_id, user_id, role)
values ('00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-00000000000a', 'owner')
on conflict do nothing;

insert into public.project_settings (project_id, key, value)
values
  ('00000000-0000-4000-8000-000000000001', 'labs_features', '{"team_room": false, "dms": false}'),
  ('00000000-0000-4000-8000-000000000001', 'team_room', '{"agent_posts_per_hour": 20}'),
  -- Every agent inherits the built-in offline model until an operator picks a provider (Settings → Agent defaults).
  ('00000000-0000-4000-8000-000000000001', 'agent_defaults', '{}'),
  -- What a test run executes in the workspace (Settings → Runs); node --test passes in an empty workspace.
  ('00000000-0000-4000-8000-000000000001', 'runs', '{"test_command": "node --test"}')
on conflict do nothing;

-- Model settings left null inherit the project's agent_defaults (then the built-in model); the
-- values set here are where an agent differs from those defaults.
insert into public.agents (project_id, agent_key, display_name, role, system_prompt, temperature, max_context_tokens, risk_tolerance, verbosity, tools_enabled, capabilities)
values
  ('00000000-0000-4000-8000-000000000001', 'lead', 'Lead', 'Plans the work, splits it into tasks and keeps the team on the mission.',
   'You are Lead, the coordinating agent. Break goals into small tasks, assign them to the right agent, and report progress plainly.', null, 16000, 'low', 'concise', '{read_file,list_files,search_text,read_task,list_tasks,create_task}', '{planning}'),
  ('00000000-0000-4000-8000-000000000001', 'backend', 'Backend', 'Builds and reviews server code, SQL migrations and APIs.',
   'You are Backend. You write careful TypeScript and SQL, explain risks, and propose changes as reviewable diffs.', 0.1, 32000, 'medium', null, '{read_file,list_files,search_text,read_task,list_tasks,create_task,apply_changeset}', '{typescript,sql,api,docs}'),
  ('00000000-0000-4000-8000-000000000001', 'web', 'Web', 'Builds the dashboard: React components, accessibility, keyboard use.',
   'You are Web. You build calm, dense, keyboard-friendly interfaces and describe UI changes precisely.', 0.3, 24000, 'medium', null, '{read_file,list_files,search_text,read_task,list_tasks,apply_changeset}', '{react,css,accessibility}'),
  ('00000000-0000-4000-8000-000000000001', 'research', 'Research', 'Reads docs and issues, compares options, writes short briefs with sources.',
   'You are Research. Answer with short, sourced briefs and say clearly what you do not know.', 0.5, 48000, 'low', 'detailed', '{read_file,list_files,search_text,read_task,list_tasks}', '{research}')
on conflict (project_id, agent_key) do nothing;

insert into public.brain_docs (project_id, agent_key, doc_type, title, content)
values (
  '00000000-0000-4000-8000-000000000001', null, 'mission', 'Mission',
  'Ship Mission Control: a calm control room where one operator runs a team of AI agents, with every risky action approved by a human.'
)
on conflict on constraint brain_docs_one_per_kind do nothing;

-- Example prices in US dollars per million tokens: edit to your current prices (Usage → Model
-- prices). A model without a price counts tokens only.
insert into public.model_prices (project_id, model, input_usd_per_mtok, output_usd_per_mtok)
values
  ('00000000-0000-4000-8000-000000000001', 'gpt-4o-mini', 0.15, 0.60),
  ('00000000-0000-4000-8000-000000000001', 'gpt-4o', 2.50, 10.00),
  ('00000000-0000-4000-8000-000000000001', 'gpt-4.1', 2.00, 8.00),
  ('00000000-0000-4000-8000-000000000001', 'gpt-4.1-mini', 0.40, 1.60),
  ('00000000-0000-4000-8000-000000000001', 'claude-sonnet-4-20250514', 3.00, 15.00),
  ('00000000-0000-4000-8000-000000000001', 'claude-3-5-haiku-20241022', 0.80, 4.00)
on conflict do nothing;

-- A monthly token budget the demo never reaches, so the Usage page has something to show.
insert into public.budgets (id, project_id, agent_id, period, unit, hard_limit, soft_ratio)
values ('00000000-0000-4000-8000-0000000000b1', '00000000-0000-4000-8000-000000000001', null, 'month', 'tokens', 5000000, 0.8)
on conflict do nothing;

-- One task an agent already worked on, so the review flow is there on first start: @backend was
-- assigned "Write a getting-started guide", its implement run proposed a changeset of two new files,
-- and the changeset waits for approval (Approvals, the task thread, Runs). It goes through the same
-- functions the executor calls; approving it writes the files into the workspace.
do $$
declare
  v_project uuid := '00000000-0000-4000-8000-000000000001';
  v_task uuid := '00000000-0000-4000-8000-0000000000c1';
  v_run uuid;
  v_guide text := E'# Getting started\n\nMission Control is the control room where you run a team of AI agents.\n\n'
    || E'1. Open **Tasks**, write what you want done and assign it to an agent: it starts a run.\n'
    || E'2. Watch the run live on **Runs**: every file it reads and every step it takes.\n'
    || E'3. Review the changeset it proposes: approve the files you want, reject or comment on the rest.\n'
    || E'4. Nothing is written before you approve, and a rollback is one click.\n\n'
    || E'Type `/plan`, `/implement` or `/test` in any composer to start a run by hand.\n';
  v_changelog text := E'# Changelog\n\n## Unreleased\n\n- Added a getting-started guide for new operators.\n';
begin
  if exists (select 1 from public.tasks where id = v_task) then
    return;
  end if;
  insert into public.tasks (id, project_id, title, description, priority, assignee_agent_key, status)
  values (v_task, v_project, 'Write a getting-started guide',
          'Add docs/getting-started.md for new operators and note it in CHANGELOG.md.', 'normal', 'backend', 'assigned');
  -- Assigning the task queued the agent's implement run; the executor is not running yet, so the seed claims it.
  select id into v_run from public.ai_runs where task_id = v_task and status = 'queued';
  perform public.claim_ai_runs('seed', 1, 3600, v_run);
  perform public.propose_run_changeset('seed', v_run, jsonb_build_object(
    'summary', 'Add a getting-started guide and note it in the changelog',
    'risk', 'low',
    'files', jsonb_build_array(
      jsonb_build_object(
        'path', 'docs/getting-started.md', 'change_kind', 'add', 'base_sha256', null, 'base_content', null,
        'new_content', v_guide, 'new_sha256', encode(sha256(convert_to(v_guide, 'UTF8')), 'hex'),
        'unified_diff', E'--- /dev/null\n+++ b/docs/getting-started.md\n@@ -0,0 +1,' || array_length(string_to_array(rtrim(v_guide, E'\n'), E'\n'), 1) || E' @@\n'
          || regexp_replace(rtrim(v_guide, E'\n'), '^', '+', 'gn') || E'\n',
        'rationale', 'New operators need one page that shows the loop: task, run, review.',
        'risk_notes', 'Documentation only.',
        'additions', array_length(string_to_array(rtrim(v_guide, E'\n'), E'\n'), 1), 'deletions', 0),
      jsonb_build_object(
        'path', 'CHANGELOG.md', 'change_kind', 'add', 'base_sha256', null, 'base_content', null,
        'new_content', v_changelog, 'new_sha256', encode(sha256(convert_to(v_changelog, 'UTF8')), 'hex'),
        'unified_diff', E'--- /dev/null\n+++ b/CHANGELOG.md\n@@ -0,0 +1,' || array_length(string_to_array(rtrim(v_changelog, E'\n'), E'\n'), 1) || E' @@\n'
          || regexp_replace(rtrim(v_changelog, E'\n'), '^', '+', 'gn') || E'\n',
        'rationale', 'Record the new guide where readers look for changes.',
        'risk_notes', '',
        'additions', array_length(string_to_array(rtrim(v_changelog, E'\n'), E'\n'), 1), 'deletions', 0)
    )
  ));
end;
$$;
