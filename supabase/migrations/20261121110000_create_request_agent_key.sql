-- Who is acting when the executor writes on an agent's behalf: triggers that record an author
-- (task status changes) ask this one function.

create or replace function public.request_agent_key() returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_key text;
begin
  -- A signed-in user (or anon) is never an agent, whatever header or claim it sends.
  if auth.uid() is not null or coalesce(auth.role(), '') in ('anon', 'authenticated') or current_user in ('anon', 'authenticated') then
    return null;
  end if;
  v_key := coalesce(
    nullif(current_setting('mission_control.agent_key', true), ''),
    nullif(auth.jwt() ->> 'agent_key', ''),
    nullif(nullif(current_setting('request.headers', true), '')::jsonb ->> 'x-agent-key', '')
  );
  if v_key is not null and v_key !~ '^[a-z][a-z0-9_-]{0,31}$' then
    return null;
  end if;
  return v_key;
end;
$$;
comment on function public.request_agent_key() is 'The agent the executor (service role) acts for in this transaction: the setting mission_control.agent_key, else the JWT claim agent_key, else the request header x-agent-key. Always null for signed-in users and anon.';
revoke all on function public.request_agent_key() from public, anon;
grant execute on function public.request_agent_key() to authenticated, service_role;
