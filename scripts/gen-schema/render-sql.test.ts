import { describe, expect, it } from "vitest";
import { renderComment, renderGrants, type TAclEntry } from "./render-sql.ts";

const TABLE_PRIVILEGES = ["INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "MAINTAIN"];

function entries(grantee: string, privileges: string[], grantable = false): TAclEntry[] {
  return privileges.map((privilege) => ({ grantee, privilege, grantable }));
}

describe("renderGrants", () => {
  it("names every role holding the same privileges in one statement, all of them as `all`", () => {
    const acl = [
      ...entries("service_role", TABLE_PRIVILEGES),
      ...entries("authenticated", ["SELECT", "INSERT"]),
      ...entries("anon", ["INSERT", "SELECT"]),
    ];
    expect(renderGrants("table public.tasks", acl, TABLE_PRIVILEGES)).toEqual([
      "grant all on table public.tasks to service_role;",
      "grant insert, select on table public.tasks to anon, authenticated;",
    ]);
  });

  it("says execute rather than all for a kind with one privilege, and keeps grant options apart", () => {
    const acl = [...entries("service_role", ["EXECUTE"]), ...entries("postgres_admin", ["EXECUTE"], true)];
    expect(renderGrants("function public.f(uuid)", acl, ["EXECUTE"])).toEqual([
      "grant execute on function public.f(uuid) to postgres_admin with grant option;",
      "grant execute on function public.f(uuid) to service_role;",
    ]);
  });
});

describe("renderComment", () => {
  it("quotes the comment as a SQL literal and writes nothing without one", () => {
    expect(renderComment("table public.tasks", "The project's tasks")).toEqual([
      "comment on table public.tasks is 'The project''s tasks';",
    ]);
    expect(renderComment("table public.tasks", null)).toEqual([]);
  });
});
