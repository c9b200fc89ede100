-- Every project keeps at least one owner (issue 12): the last owner can neither leave, nor be
-- demoted, nor be removed. A trigger enforces it for every role (the RPCs, a direct table write by
-- an owner, the service role, the superuser), so no path leaves a project nobody can manage.
-- Two exceptions, both where the membership goes away with what it belongs to: the project itself
-- is being deleted (its members cascade), or the owner's account is deleted (its memberships
-- cascade; refusing would make the account undeletable, and an admin deleting an account decides
-- for its projects).

create or replace function public.keep_a_project_owner()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_project public.projects;
  v_email text;
begin
  if old.role <> 'owner' then
    return null;
  end if;
  if tg_op = 'UPDATE' and new.role = 'owner' and new.project_id = old.project_id then
    return null;
  end if;
  -- Owner changes of one project take turns on the project row, so two owners demoting each other
  -- at the same time cannot both succeed (the second sees the first's change once it commits).
  select * into v_project from public.projects p where p.id = old.project_id for no key update;
  if not found then
    return null;
  end if;
  if tg_op = 'DELETE' and not exists (select 1 from auth.users u where u.id = old.user_id) then
    return null;
  end if;
  if exists (select 1 from public.project_members m where m.project_id = old.project_id and m.role = 'owner') then
    return null;
  end if;
  select u.email into v_email from auth.users u where u.id = old.user_id;
  raise exception '% is the last owner of project "%": make another member an owner first, then try again',
    coalesce(v_email, 'This member'), v_project.name
    using errcode = 'PT409',
      hint = 'A project always keeps an owner. Give another member the owner role (Settings → Members), then leave, remove or demote this one.';
end;
$$;
comment on function public.keep_a_project_owner() is 'Trigger on project_members (after update or delete): refuses (PT409, HTTP 409) a change that leaves a project without an owner, whoever makes it. Allowed when the project or the owner''s account is being deleted.';
revoke all on function public.keep_a_project_owner() from public, anon, authenticated;

create trigger project_members_keep_an_owner after update or delete on public.project_members
  for each row execute function public.keep_a_project_owner();
