export { createSupabaseClient } from "./create-supabase-client.ts";
