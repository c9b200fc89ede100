-- Demo data for the local stack. Every statement is idempotent: re-running adds nothing.
insert into public.projects (id, name, slug)
values ('00000000-0000-4000-8000-000000000001', 'Demo project', 'demo')
on conflict (id) do nothing;
