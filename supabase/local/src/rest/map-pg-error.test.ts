import { describe, expect, it } from "vitest";
import { statusForSqlState } from "./map-pg-error.ts";

describe("statusForSqlState", () => {
  it("answers a custom PTxxx SQLSTATE with that HTTP status, as PostgREST does", () => {
    expect(statusForSqlState("PT412", "authenticated")).toBe(412);
    expect(statusForSqlState("PT409", "authenticated")).toBe(409);
    expect(statusForSqlState("PT503", "anon")).toBe(503);
  });

  it("keeps PostgREST's mapping for standard SQLSTATEs", () => {
    expect(statusForSqlState("42501", "anon")).toBe(401);
    expect(statusForSqlState("42501", "authenticated")).toBe(403);
    expect(statusForSqlState("23505", "authenticated")).toBe(409);
    expect(statusForSqlState("P0001", "authenticated")).toBe(400);
    expect(statusForSqlState("P0002", "authenticated")).toBe(500);
    expect(statusForSqlState("22023", "authenticated")).toBe(400);
  });

  it("does not read a malformed PT code as a status", () => {
    expect(statusForSqlState("PTABC", "authenticated")).toBe(400);
    expect(statusForSqlState("PT999", "authenticated")).toBe(400);
  });
});
