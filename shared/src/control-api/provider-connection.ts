import { z } from "zod";
import { ZProviderApiKey } from "../schemas/provider-connection.ts";

/** Path parameters of the `/api/providers/:connectionId/...` routes. */
export const ZProviderConnectionParams = z.object({
  connectionId: z.guid({ error: (issue) => `${String(issue.input)} is not a provider connection id (a UUID)` }),
});
/** Path parameters of the provider connection routes. */
export type TProviderConnectionParams = z.infer<typeof ZProviderConnectionParams>;

/** The body of `POST /api/providers/:connectionId/key`: the key to encrypt and store, or null to remove it. */
export const ZSetProviderKeyBody = z.object({ api_key: ZProviderApiKey.nullable() });
/** The body of `POST /api/providers/:connectionId/key`. */
export type TSetProviderKeyBody = z.infer<typeof ZSetProviderKeyBody>;

/** The 200 answer of `POST /api/providers/:connectionId/key`: all the browser ever sees of a key again. */
export const ZSetProviderKeyAnswer = z.object({ connection_id: z.string(), key_last4: z.string().nullable() });
/** The 200 answer of `POST /api/providers/:connectionId/key`. */
export type TSetProviderKeyAnswer = z.infer<typeof ZSetProviderKeyAnswer>;

/** The body of `POST /api/providers/:connectionId/test`: the model to try (the connection's default when absent). */
export const ZTestProviderBody = z.object({ model: z.string().trim().min(1).max(200).optional() });
/** The body of `POST /api/providers/:connectionId/test`. */
export type TTestProviderBody = z.infer<typeof ZTestProviderBody>;

/**
 * The 200 answer of `POST /api/providers/:connectionId/test`: one small request was made with the
 * stored key. `ok` false is an answer too: `message` says what the provider said, in words
 * ("401: the key was refused…", "unknown model…", "unreachable host…").
 */
export const ZTestProviderAnswer = z.object({
  ok: z.boolean(),
  message: z.string(),
  model: z.string().nullable(),
  latency_ms: z.number().nullable(),
  /** The start of the model's reply when it answered. */
  reply: z.string().nullable(),
});
/** The 200 answer of `POST /api/providers/:connectionId/test`. */
export type TTestProviderAnswer = z.infer<typeof ZTestProviderAnswer>;
