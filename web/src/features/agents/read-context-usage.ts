import { z } from "zod";

/** agent_status.context_usage as the executor writes it: tokens per prompt part, the total and the budget. */
const ZContextUsage = z
  .object({
    total: z.number().optional(),
    max_context_tokens: z.number().optional(),
    system_prompt: z.number().optional(),
    mission: z.number().optional(),
    docs: z.number().optional(),
    history: z.number().optional(),
    tools: z.number().optional(),
    new_message: z.number().optional(),
  })
  .loose();

const PARTS = [
  ["system_prompt", "system prompt"],
  ["mission", "mission"],
  ["docs", "docs"],
  ["history", "history"],
  ["tools", "tools"],
  ["new_message", "new message"],
] as const;

/** Used and maximum tokens, and the breakdown in words; null when the agent has not run yet. */
export function readContextUsage(
  usage: Record<string, unknown>,
  fallbackMax: number,
): { used: number; max: number; breakdown: string } | null {
  const parsed = ZContextUsage.safeParse(usage);
  if (!parsed.success || parsed.data.total === undefined) return null;
  const data = parsed.data;
  const breakdown = PARTS.filter(([key]) => (data[key] ?? 0) > 0)
    .map(([key, label]) => `${label} ${data[key]}`)
    .join(", ");
  return { used: data.total ?? 0, max: data.max_context_tokens ?? fallbackMax, breakdown };
}
