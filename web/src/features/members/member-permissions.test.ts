import { describe, expect, it } from "vitest";
import { canManageMembers, countOwners, leaveRefusal } from "./member-permissions.ts";

describe("member permissions", () => {
  it("counts the owners", () => {
    expect(countOwners([{ role: "owner" }, { role: "operator" }, { role: "owner" }])).toBe(2);
  });

  it("keeps the last owner from leaving and says what to do", () => {
    expect(leaveRefusal("owner", 1)).toBe("You are the only owner: make another member owner first (change their role below), then leave.");
    expect(leaveRefusal("owner", 2)).toBeNull();
    expect(leaveRefusal("viewer", 1)).toBeNull();
    expect(leaveRefusal(null, 1)).toBe("You are not a member of this project.");
  });

  it("lets only owners manage members", () => {
    expect(canManageMembers("owner")).toBe(true);
    expect(canManageMembers("operator")).toBe(false);
    expect(canManageMembers("viewer")).toBe(false);
    expect(canManageMembers(null)).toBe(false);
  });
});
