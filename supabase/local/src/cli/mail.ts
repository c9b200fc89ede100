import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { repoRoot } from "../config/env.ts";
import type { TStoredMail } from "../mail/mailbox-store.ts";

const HELP = `Usage: pnpm mail [--to ADDRESS] [--limit N]

Prints the newest mails of the running local stack (invites, sign-in links, password resets,
email changes) with their links, newest first. The local stack sends no real mail; the same
mails are at <SUPABASE_URL>/mailbox in a browser. Reads SUPABASE_URL from .env.local (written
by \`pnpm stack\` / \`pnpm dev\`).

  --to ADDRESS  only mails to this address
  --limit N     how many (default 10)
`;

/** SUPABASE_URL from the .env.local the running stack wrote. */
function stackUrl(): string {
  const file = path.join(repoRoot, ".env.local");
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  const url = /^SUPABASE_URL=(.+)$/m.exec(text)?.[1]?.trim();
  if (!url) throw new Error(`No SUPABASE_URL in ${file}: start the local stack first (pnpm stack or pnpm dev).`);
  return url.replace(/\/+$/, "");
}

/** Prints the newest mails of the local mailbox and their links. */
export async function runMailCli(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { to: { type: "string" }, limit: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const limit = values.limit ?? "10";
  if (!/^\d{1,3}$/.test(limit) || Number(limit) < 1) throw new Error(`--limit must be a number from 1 to 500, not "${limit}".`);
  const base = stackUrl();
  const query = new URLSearchParams({ limit, ...(values.to ? { to: values.to } : {}) });
  let response: Response;
  try {
    response = await fetch(`${base}/mailbox/api/messages?${query.toString()}`);
  } catch {
    throw new Error(`The local stack at ${base} does not answer: start it with pnpm stack or pnpm dev.`);
  }
  if (!response.ok) throw new Error(`The mailbox at ${base}/mailbox answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  const { messages } = (await response.json()) as { messages: TStoredMail[] };
  if (messages.length === 0) {
    process.stdout.write(`No mail${values.to ? ` to ${values.to}` : ""} yet (${base}/mailbox).\n`);
    return;
  }
  for (const mail of messages) {
    process.stdout.write(`\n#${mail.id}  ${mail.created_at}  to ${mail.to}\n  ${mail.subject}\n`);
    for (const link of mail.links) process.stdout.write(`  ${link.label}: ${link.url}\n`);
    const code = /code: (\d+)/.exec(mail.text)?.[1];
    if (code) process.stdout.write(`  Code: ${code}\n`);
  }
  process.stdout.write(`\nAll mail: ${base}/mailbox\n`);
}

runMailCli(process.argv.slice(2)).catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
