export { createSupabaseClient } from "./create-supabase-client.ts";
export type { Database, Json } from "./database.types.ts";
