import type { TCheckSkillAnswer } from "@mission-control/shared/control-api";
import { createIntervalLoop } from "../worker/create-interval-loop.ts";
import type { TWorkerState } from "../worker/worker-state.ts";
import { checkOneSkill, checkSkills, type TSkillCheckDeps } from "./check-skills.ts";

/** Checks the skills at start, every interval, and one skill on demand. */
export interface TSkillsChecker {
  readonly state: TWorkerState;
  /** Checks every skill in scope at once, then every interval. */
  start(): void;
  /** Checks one skill now and returns the verdict it wrote (the Control API's check route). */
  checkSkill(skillId: string): Promise<TCheckSkillAnswer>;
  /** Checks every skill in scope now (ends the current wait). */
  runNow(): void;
  stop(): Promise<void>;
}

/**
 * Creates the skills checker: an interval loop over the skills of `projectIds` (null: every
 * project; the executor passes RUN_PROJECT_IDS, the projects whose runs it works, since its verdicts
 * gate those runs' tools) every `intervalMs` (SKILLS_CHECK_INTERVAL_MS).
 */
export function createSkillsChecker(
  options: TSkillCheckDeps & { intervalMs: number; projectIds: readonly string[] | null },
): TSkillsChecker {
  const { intervalMs, projectIds, ...deps } = options;
  const loop = createIntervalLoop({
    name: "skills checker",
    intervalMs,
    log: deps.log,
    tick: async () => {
      await checkSkills(deps, { projectIds });
    },
  });
  return {
    get state() {
      return loop.state;
    },
    start: () => loop.start(),
    checkSkill: (skillId) => checkOneSkill(deps, skillId),
    runNow: () => loop.runNow(),
    stop: () => loop.stop(),
  };
}
