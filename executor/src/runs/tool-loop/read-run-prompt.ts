import { RUN_MODES, type TRunMode } from "@mission-control/shared/schemas";
import { RUN_MODE_LINE_PREFIX } from "./build-run-system-prompt.ts";

/** A review comment of a revision run's brief: `- [kind] path:line: comment`. */
export type TBriefReview = { kind: string; path: string | null; line: number | null; comment: string };

/** Section headings of the run brief that end the goal (see runs/build-run-brief.ts). */
const SECTION_STARTS = [
  /^Constraints:/,
  /^Handed over by /,
  /^Task [0-9a-f]{8}-[0-9a-f]{4}-/,
  /^Task thread/,
  /^Conversation this run came from/,
  /^Your previous changeset/,
  /^Review comments to address:/,
  /^The tests failed after/,
];

/** The mode a system prompt states on its `Run mode: …` line (see buildRunSystemPrompt), or null outside a run. */
export function readRunMode(system: string): TRunMode | null {
  for (const line of system.split("\n")) {
    if (!line.startsWith(RUN_MODE_LINE_PREFIX)) continue;
    const mode = line.slice(RUN_MODE_LINE_PREFIX.length).trim();
    if ((RUN_MODES as readonly string[]).includes(mode)) return mode as TRunMode;
  }
  return null;
}

/**
 * The goal of a run brief: the text under its first `Goal…:` line up to the next section of the
 * brief (Constraints, the task, the thread…), or the whole message when it has no such line.
 */
export function readRunGoal(brief: string): string {
  const paragraphs = brief.replace(/\r\n/g, "\n").split(/\n{2,}/);
  const start = paragraphs.findIndex((paragraph) => /^Goal\b[^\n]*:\s*(\n|$)/.test(paragraph));
  if (start === -1) return brief.trim();
  const first = (paragraphs[start] ?? "").replace(/^Goal\b[^\n]*:\s*\n?/, "");
  const goal = [first];
  for (const paragraph of paragraphs.slice(start + 1)) {
    if (SECTION_STARTS.some((heading) => heading.test(paragraph))) break;
    goal.push(paragraph);
  }
  return goal.join("\n\n").trim();
}

/** The review comments a revision run's brief lists (`- [revise] path:line: comment`). */
export function readBriefReviews(brief: string): TBriefReview[] {
  const reviews: TBriefReview[] = [];
  for (const line of brief.split("\n")) {
    const match = /^- \[(revise|question|nit|block)\](?: ([^\s:]+)(?::(\d+))?)?: (.+)$/.exec(line.trim());
    if (!match) continue;
    reviews.push({
      kind: match[1] ?? "revise",
      path: match[2] ?? null,
      line: match[3] ? Number(match[3]) : null,
      comment: (match[4] ?? "").trim(),
    });
  }
  return reviews;
}
