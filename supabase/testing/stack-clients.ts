import crypto from "node:crypto";
import { createSupabaseClient } from "@mission-control/shared/db";
import type { SupabaseClient } from "@supabase/supabase-js";
import pg from "pg";
import { inject } from "vitest";

const noSession = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } };

/** The running test stack's URLs and keys. */
export function stackInfo() {
  return inject("stack");
}

/** A client holding only the anon key (what a signed-out browser has). */
export function anonClient(): SupabaseClient {
  const s = stackInfo();
  return createSupabaseClient(s.url, s.anonKey, noSession);
}

/** A client with the service role key (executor and scripts only). */
export function serviceClient(): SupabaseClient {
  const s = stackInfo();
  return createSupabaseClient(s.url, s.serviceRoleKey, noSession);
}

/** A superuser `pg` pool on the test stack, for asking the same question in plain SQL. */
export function sqlPool(): pg.Pool {
  return new pg.Pool({ connectionString: stackInfo().databaseUrl, max: 4 });
}

/** Creates a confirmed user through the admin API and returns a client signed in as that user. */
export async function signedInClient(label = "user"): Promise<{ client: SupabaseClient; userId: string; email: string; password: string }> {
  const email = `${label}-${crypto.randomUUID().slice(0, 8)}@example.test`;
  const password = `pw-${crypto.randomUUID()}`;
  const admin = serviceClient();
  const created = await admin.auth.admin.createUser({ email, password, email_confirm: true });
  if (created.error || !created.data.user) throw new Error(`could not create test user: ${created.error?.message}`);
  const client = anonClient();
  const signedIn = await client.auth.signInWithPassword({ email, password });
  if (signedIn.error) throw new Error(`could not sign in test user: ${signedIn.error.message}`);
  return { client, userId: created.data.user.id, email, password };
}
