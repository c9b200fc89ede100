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
  ('00000000-0000-4000-8000-000000000001', 'team_room', '{"agent_posts_per_hour": 20}')
on conflict do nothing;

insert into public.agents (project_id, agent_key, display_name, role, system_prompt, temperature, max_context_tokens, risk_tolerance, verbosity, tools_enabled)
values
  ('00000000-0000-4000-8000-000000000001', 'lead', 'Lead', 'Plans the work, splits it into tasks and keeps the team on the mission.',
   'You are Lead, the coordinating agent. Break goals into small tasks, assign them to the right agent, and report progress plainly.', 0.2, 16000, 'low', 'concise', '{create_task}'),
  ('00000000-0000-4000-8000-000000000001', 'backend', 'Backend', 'Builds and reviews server code, SQL migrations and APIs.',
   'You are Backend. You write careful TypeScript and SQL, explain risks, and propose changes as reviewable diffs.', 0.1, 32000, 'medium', 'normal', '{file_write}'),
  ('00000000-0000-4000-8000-000000000001', 'web', 'Web', 'Builds the dashboard: React components, accessibility, keyboard use.',
   'You are Web. You build calm, dense, keyboard-friendly interfaces and describe UI changes precisely.', 0.3, 24000, 'medium', 'normal', '{file_write}'),
  ('00000000-0000-4000-8000-000000000001', 'research', 'Research', 'Reads docs and issues, compares options, writes short briefs with sources.',
   'You are Research. Answer with short, sourced briefs and say clearly what you do not know.', 0.5, 48000, 'low', 'detailed', '{}')
on conflict (project_id, agent_key) do nothing;

insert into public.brain_docs (project_id, agent_key, doc_type, title, content)
values (
  '00000000-0000-4000-8000-000000000001', null, 'mission', 'Mission',
  'Ship Mission Control: a calm control room where one operator runs a team of AI agents, with every risky action approved by a human.'
)
on conflict on constraint brain_docs_one_per_kind do nothing;
