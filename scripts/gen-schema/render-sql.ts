/** `text` as a SQL string literal (standard_conforming_strings is on, so only quotes are doubled). */
export function sqlLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A `comment on …` statement, or nothing when the object has no comment. */
export function renderComment(target: string, comment: string | null): string[] {
  return comment === null ? [] : [`comment on ${target} is ${sqlLiteral(comment)};`];
}

/** One privilege an ACL grants, as `aclexplode` lists it (the owner's own rights left out). */
export interface TAclEntry {
  /** Role name, quoted when needed, or `public`. */
  grantee: string;
  privilege: string;
  grantable: boolean;
}

/**
 * The `grant` statements that give each role what the ACL lists: one statement per set of
 * privileges, naming every role that holds exactly that set; `all` when a role holds every one
 * of the several privileges of the object's kind (`allPrivileges`, in Postgres's order).
 */
export function renderGrants(target: string, entries: TAclEntry[], allPrivileges: string[]): string[] {
  const held = new Map<string, TAclEntry[]>();
  for (const entry of entries) {
    const key = JSON.stringify([entry.grantee, entry.grantable]);
    held.set(key, [...(held.get(key) ?? []), entry]);
  }
  const grantees = new Map<string, string[]>();
  for (const roleEntries of held.values()) {
    const first = roleEntries[0];
    if (!first) continue;
    const ordered = allPrivileges.filter((p) => roleEntries.some((e) => e.privilege === p));
    const privileges = allPrivileges.length > 1 && ordered.length === allPrivileges.length ? "all" : ordered.join(", ").toLowerCase();
    const clause = `grant ${privileges} on ${target} to %ROLES%${first.grantable ? " with grant option" : ""};`;
    grantees.set(clause, [...(grantees.get(clause) ?? []), first.grantee]);
  }
  return [...grantees].map(([clause, roles]) => clause.replace("%ROLES%", roles.sort(compareC).join(", "))).sort(compareC);
}

/** Byte-order comparison: the same order on every machine and in every locale. */
export function compareC(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
