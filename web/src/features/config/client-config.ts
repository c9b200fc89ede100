import { z } from "zod";

/** What the browser needs to reach Supabase and the executor: public values only. */
export const ZClientConfig = z.object({
  supabaseUrl: z.url(),
  supabaseAnonKey: z.string().min(20),
  controlApiUrl: z.url(),
});

/** The dashboard's public configuration, passed from the root layout at request time. */
export type TClientConfig = z.infer<typeof ZClientConfig>;
