import { z } from "zod";
import { PROVIDER_CONNECTION_KINDS } from "../schemas/column-enums.ts";
import { seq } from "./edge-fields.ts";

/**
 * A provider connection of the project. Never carries a key: the encrypted key lives in a table
 * only the service role reads; members see its last four characters (null: no key stored).
 */
export const ZProviderConnection = z.object({
  id: z.string(),
  project_id: z.string(),
  name: z.string(),
  kind: z.enum(PROVIDER_CONNECTION_KINDS),
  base_url: z.string().nullable(),
  keyless: z.boolean(),
  default_model: z.string().nullable(),
  cli_command: z.string().nullable(),
  cli_timeout_seconds: z.number(),
  key_last4: z.string().nullable(),
  key_updated_at: z.string().nullable(),
  created_by: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  seq,
});
/** A provider_connections row. */
export type TProviderConnection = z.infer<typeof ZProviderConnection>;
