import { z } from "zod";

const ZOpenAiUsage = z.object({ prompt_tokens: z.number().int().nonnegative(), completion_tokens: z.number().int().nonnegative() });

/** A non-streamed `/chat/completions` reply (only the fields we use). */
export const ZOpenAiChatResponse = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1, "no choices in the reply"),
  usage: ZOpenAiUsage.nullish(),
});

/**
 * One streamed chunk. `choices` is empty (or null/missing on vLLM) in the usage-only last chunk;
 * OpenRouter reports failures mid-stream as `{ error: { message } }`.
 */
export const ZOpenAiChatChunk = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        index: z.number().int().optional(),
        delta: z.object({ content: z.string().nullish(), refusal: z.string().nullish() }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: ZOpenAiUsage.nullish(),
  error: z.object({ message: z.string() }).optional(),
});

/**
 * A non-streamed reply to a request with `tools`: the message may carry `tool_calls` (arguments as
 * a JSON string; some local servers send an object, and some omit the call id).
 */
export const ZOpenAiToolChatResponse = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.string().nullish(),
          refusal: z.string().nullish(),
          tool_calls: z
            .array(
              z.object({
                id: z.string().nullish(),
                type: z.string().nullish(),
                function: z.object({ name: z.string().min(1), arguments: z.unknown().optional() }),
              }),
            )
            .nullish(),
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1, "no choices in the reply"),
  usage: ZOpenAiUsage.nullish(),
});
