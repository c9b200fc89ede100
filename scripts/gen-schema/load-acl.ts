import type pg from "pg";

/**
 * SQL for a json array of an object's ACL entries ({grantee, privilege, grantable}), the owner's
 * own rights left out. `acl`, `owner` are column expressions; `kind` is acldefault's letter for
 * the object kind, used when the ACL was never changed.
 */
export function aclEntriesSql(acl: string, kind: "r" | "s" | "f", owner: string): string {
  return `(select coalesce(json_agg(json_build_object(
      'grantee', case when e.grantee = 0 then 'public' else quote_ident(r.rolname) end,
      'privilege', e.privilege_type,
      'grantable', e.is_grantable
    ) order by e.grantee, e.privilege_type), '[]'::json)
    from aclexplode(coalesce(${acl}, acldefault('${kind}', ${owner}))) e
    left join pg_roles r on r.oid = e.grantee
    where e.grantee <> ${owner})`;
}

/** Every privilege an object of this kind can carry, in Postgres's order (what `all` grants). */
export async function loadAllPrivileges(client: pg.ClientBase, kind: "r" | "s" | "f"): Promise<string[]> {
  // 10 is the bootstrap superuser: acldefault gives its owner every privilege of the kind.
  const { rows } = await client.query<{ privilege: string }>(
    'select e.privilege_type as privilege from aclexplode(acldefault($1::"char", 10::oid)) e where e.grantee = 10',
    [kind],
  );
  return rows.map((r) => r.privilege);
}
