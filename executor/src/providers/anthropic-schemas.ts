import { z } from "zod";

const ZCount = z.number().int().nonnegative();

/** A non-streamed Messages API reply (only the fields we use). */
export const ZAnthropicMessage = z.object({
  model: z.string().optional(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  stop_reason: z.string().nullish(),
  usage: z.object({ input_tokens: ZCount, output_tokens: ZCount }).nullish(),
});

/** Any streamed event: its `type` decides which schema below applies. Unknown types are ignored. */
export const ZAnthropicEvent = z.object({ type: z.string() });

/** `message_start`: the model and the input usage (gateways such as OpenRouter may report 0 here). */
export const ZAnthropicMessageStart = z.object({
  message: z.object({
    model: z.string().optional(),
    usage: z.object({ input_tokens: ZCount.optional(), output_tokens: ZCount.optional() }).nullish(),
  }),
});

/** `content_block_delta`: text arrives as `text_delta`; other delta types (tool input, thinking) are skipped. */
export const ZAnthropicContentBlockDelta = z.object({
  index: z.number().int().nonnegative(),
  delta: z
    .object({ type: z.string(), text: z.string().optional() })
    .refine((delta) => delta.type !== "text_delta" || delta.text !== undefined, { message: "text_delta without text", path: ["text"] }),
});

/** `message_delta`: the stop reason and cumulative usage. */
export const ZAnthropicMessageDelta = z.object({
  delta: z.object({ stop_reason: z.string().nullish() }),
  usage: z.object({ output_tokens: ZCount.nullish(), input_tokens: ZCount.nullish() }).nullish(),
});

/** `error`: a failure after the response started (e.g. `overloaded_error`). */
export const ZAnthropicErrorEvent = z.object({ error: z.object({ type: z.string(), message: z.string() }) });

/** A non-streamed reply to a request with `tools`: text blocks and `tool_use` blocks ({id, name, input}). */
export const ZAnthropicToolMessage = z.object({
  model: z.string().optional(),
  content: z.array(
    z.object({
      type: z.string(),
      text: z.string().optional(),
      id: z.string().optional(),
      name: z.string().optional(),
      input: z.unknown().optional(),
    }),
  ),
  stop_reason: z.string().nullish(),
  usage: z.object({ input_tokens: ZCount, output_tokens: ZCount }).nullish(),
});
