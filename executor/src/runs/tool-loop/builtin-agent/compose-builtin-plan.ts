import type { TBuiltinIntent } from "./detect-builtin-intent.ts";

/**
 * The numbered plan the built-in agent answers in a plan run: where it would look (the top of the
 * workspace listing, when it could list it), the change the goal asks for, the proposal, the test.
 */
export function composeBuiltinPlan(input: { goal: string; intent: TBuiltinIntent; listing: string | null }): string {
  const headline = clip(input.goal.split("\n")[0]?.trim() || "the goal", 160);
  const entries = input.listing === null ? [] : topEntries(input.listing);
  const look =
    entries.length > 0
      ? `Read the parts of the workspace this touches, starting from ${entries.join(", ")}.`
      : "Read the parts of the workspace this touches (list the files, then read the relevant ones).";
  const steps = [look, ...changeSteps(input.intent, headline)];
  steps.push("Run the project's tests after the change is applied (/test) and fix what fails, up to the iteration cap.");
  const numbered = steps.map((step, index) => `${index + 1}. ${step}`).join("\n");
  return `[offline model] Plan for "${headline}":\n${numbered}\n\nThis is the built-in offline model's template plan; start an implement run (/implement) to get the changeset, or connect a provider for a real plan.`;
}

function changeSteps(intent: TBuiltinIntent, headline: string): string[] {
  switch (intent.kind) {
    case "changelog":
      return [`Add an entry at the top of CHANGELOG.md: "${intent.entry}"`, "Propose the edit as a changeset for your review."];
    case "files":
      return [
        `Write ${intent.paths.join(", ")}${intent.topic ? ` about ${intent.topic}` : ""}.`,
        "Propose the files as one changeset for your review.",
      ];
    case "create_task":
      return [`Propose a new task "${intent.title}" for your approval.`];
    case "other":
      return [
        `Work out the concrete change "${headline}" needs and which files it touches.`,
        "Propose the changes as one changeset for your review.",
      ];
  }
}

/** The first entries of a list_files answer (its header line skipped), folders first. */
function topEntries(listing: string): string[] {
  const lines = listing
    .split("\n")
    .slice(1)
    .filter((line) => line !== "" && !line.startsWith("("))
    .map((line) => line.replace(/ \([^)]*\)$/, ""))
    .filter((name) => !name.replace(/\/$/, "").includes("/"));
  const folders = lines.filter((line) => line.endsWith("/"));
  const files = lines.filter((line) => !line.endsWith("/"));
  return [...folders, ...files].slice(0, 6);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
