import { AppError } from "@mission-control/shared/errors";
import { parse } from "shell-quote";

/** A `$VARIABLE` the command line asked the shell to expand. */
type TVariable = { variable: string };

/**
 * Splits a CLI agent's command line into the program and its arguments the way a shell would
 * (quotes and backslashes), without running a shell: pipes, redirects, `;`, `&&`, globs, comments
 * and `$VARIABLES` are refused with a `config_invalid` sentence saying what to write instead.
 */
export function parseCliCommand(command: string): [string, ...string[]] {
  const entries = parse(command, (name): TVariable => ({ variable: name }));
  const argv: string[] = [];
  for (const entry of entries) {
    if (typeof entry === "string") {
      argv.push(entry);
      continue;
    }
    const what =
      "variable" in entry
        ? `the variable $${entry.variable} (nothing is expanded: write its value, or put single quotes around it to pass it literally)`
        : "comment" in entry
          ? "a # comment"
          : entry.op === "glob"
            ? `the pattern ${entry.pattern} (nothing is expanded: name the files, or quote it to pass it literally)`
            : `the shell operator ${entry.op}`;
    throw new AppError("config_invalid", {
      message: `The CLI agent's command line uses ${what}, but CLI agents run without a shell: put pipes, redirects and variables in a script inside the workspace and run that script`,
    });
  }
  const [program, ...args] = argv;
  if (!program) {
    throw new AppError("config_invalid", {
      message: "The CLI agent's command line is empty: write the program to run, e.g. `claude -p`",
    });
  }
  return [program, ...args];
}
