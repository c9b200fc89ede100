import crypto from "node:crypto";
import { createSupabaseClient } from "@mission-control/shared/db";
import type { SupabaseClient } from "@supabase/supabase-js";
import type { TSeparateBenchStack } from "./bench-stack.ts";

const noSession = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

/** Creates a confirmed user through the admin API and returns a client signed in as that user. */
export async function signInBenchUser(stack: TSeparateBenchStack, label: string): Promise<{ client: SupabaseClient; userId: string }> {
  const admin = createSupabaseClient(stack.SUPABASE_URL, stack.SUPABASE_SERVICE_ROLE_KEY, noSession);
  const email = `${label}-${crypto.randomUUID().slice(0, 8)}@bench.invalid`;
  const password = `pw-${crypto.randomUUID()}`;
  const created = await admin.auth.admin.createUser({ email, password, email_confirm: true });
  if (created.error || !created.data.user) throw new Error(`could not create ${label}: ${created.error?.message}`);
  const client = createSupabaseClient(stack.SUPABASE_URL, stack.SUPABASE_ANON_KEY, noSession);
  const signedIn = await client.auth.signInWithPassword({ email, password });
  if (signedIn.error) throw new Error(`could not sign in ${label}: ${signedIn.error.message}`);
  return { client, userId: created.data.user.id };
}
