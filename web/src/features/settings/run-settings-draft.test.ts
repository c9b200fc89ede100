import { describe, expect, it } from "vitest";
import {
  draftFromRunSettings,
  findShellSyntax,
  parseRunSettingsDraft,
  runSettingBounds,
  type TRunSettingsDraft,
  testCommandProgram,
} from "./run-settings-draft.ts";

const EMPTY: TRunSettingsDraft = { test_command: "", test_timeout_seconds: "", max_iterations: "", max_steps: "" };

describe("parseRunSettingsDraft", () => {
  it("stores only the fields that are set, so empty ones keep their defaults", () => {
    expect(parseRunSettingsDraft(EMPTY)).toEqual({ ok: true, value: {} });
    const result = parseRunSettingsDraft({ ...EMPTY, test_command: "  npm test -- --run ", max_steps: "20" });
    expect(result).toEqual({ ok: true, value: { test_command: "npm test -- --run", max_steps: 20 } });
    if (result.ok) expect(draftFromRunSettings(result.value)).toEqual({ ...EMPTY, test_command: "npm test -- --run", max_steps: "20" });
  });

  it("says beside each field what range it takes, from ZRunSettings", () => {
    expect(runSettingBounds("test_timeout_seconds")).toEqual({ min: 5, max: 3600, fallback: 600 });
    expect(
      parseRunSettingsDraft({ test_command: "x".repeat(501), test_timeout_seconds: "4", max_iterations: "2.5", max_steps: "51" }),
    ).toEqual({
      ok: false,
      issues: {
        test_command: "must be at most 500 characters",
        test_timeout_seconds: "must be a whole number from 5 to 3600",
        max_iterations: "must be a whole number from 1 to 10",
        max_steps: "must be a whole number from 1 to 50",
      },
    });
  });

  it("refuses a test command that needs a shell, with what to write instead", () => {
    const result = parseRunSettingsDraft({ ...EMPTY, test_command: "npm ci && npm test" });
    expect(result).toEqual({
      ok: false,
      issues: {
        test_command:
          'uses the shell operator &&, but test commands run without a shell: put the steps in a script (e.g. an npm script "test") and run that, e.g. npm test',
      },
    });
  });
});

describe("findShellSyntax", () => {
  it.each([
    ["npm test", null],
    ["pytest -k 'a or b' tests/", null],
    ["node --eval 'console.log(1 > 0 && $HOME)'", null],
    ['go test "./..."', null],
    ["pnpm test\\;", null],
    ["npm test | tee out.txt", /operator \|,/],
    ["make test > out.txt", /operator >,/],
    ["make test 2>&1", /operator >&,/],
    ["npm test; npm run lint", /operator ;,/],
    ["cargo test $FLAGS", /a \$variable/],
    ['cargo test "$FLAGS"', /a \$variable/],
    ["pytest tests/test_*.py", /a \* pattern/],
    ["npm test # all of them", /a # comment/],
    ["npm test 'unclosed", /unclosed ' quote/],
  ])("reads %j", (command, expected) => {
    const found = findShellSyntax(command);
    if (expected === null) expect(found).toBeNull();
    else expect(found).toMatch(expected);
  });
});

describe("testCommandProgram", () => {
  it("is the first word, quotes removed, as the executor matches it against the allowlist", () => {
    expect(testCommandProgram("  npm test")).toBe("npm");
    expect(testCommandProgram("'./run tests.sh' --fast")).toBe("./run tests.sh");
    expect(testCommandProgram("")).toBe("");
  });
});
