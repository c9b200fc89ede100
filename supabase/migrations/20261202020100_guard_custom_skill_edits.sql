-- Operators edit the skills they added (name, description, requirements, setup steps, tools) on
-- the Skills page; built-in skills stay read-only (RLS "Operators can edit their project's own
-- skills" already limits updates to rows that are not built-in). A member's edit keeps what says
-- where the skill comes from: its project, key, built-in flag, author and creation time.

create or replace function public.guard_skill_identity() returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if new.project_id <> old.project_id or new.key <> old.key then
    raise exception 'Skill % keeps its project and key', old.key
      using errcode = '22023', hint = 'Add a new skill with the other key instead, then remove this one.';
  end if;
  if new.builtin <> old.builtin or new.created_by is distinct from old.created_by or new.created_at <> old.created_at then
    raise exception 'Skill % keeps where it comes from (built-in or not, who added it and when)', old.key
      using errcode = '22023', hint = 'Edit its name, description, requirements, setup steps or tools.';
  end if;
  return new;
end;
$$;
comment on function public.guard_skill_identity() is 'Trigger on skills: members cannot move a skill to another project, change its key (its verdict and the tools it gates follow the key) or change whether it is built-in, who added it and when; they edit its name, description, requirements, setup steps and tools.';
