import type pg from "pg";
import type { TMail } from "./mail-templates.ts";

/** A stored mail as the mailbox serves it. */
export interface TStoredMail {
  id: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  links: Array<{ label: string; url: string }>;
  created_at: string;
}

type TQueryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

/**
 * "Sends" a mail: the local stack stores it in local_mail.messages (in the caller's transaction,
 * so a failed request leaves no mail behind) and never talks to an SMTP server.
 */
export async function storeMail(db: TQueryable, mail: TMail): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    "insert into local_mail.messages (to_address, subject, text_body, html_body, links) values ($1, $2, $3, $4, $5) returning id",
    [mail.to, mail.subject, mail.text, mail.html, JSON.stringify(mail.links)],
  );
  return Number(rows[0]?.id);
}

const COLUMNS =
  "id::int as id, to_address as to, subject, text_body as text, html_body as html, links, to_char(created_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') as created_at";

/** The newest mails first, optionally only those to one address (case-insensitive). */
export async function listMails(db: TQueryable, options: { to?: string; limit?: number } = {}): Promise<TStoredMail[]> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const to = options.to?.trim().toLowerCase() || null;
  const { rows } = await db.query<TStoredMail>(
    `select ${COLUMNS} from local_mail.messages where ($1::text is null or lower(to_address) = $1) order by id desc limit $2`,
    [to, limit],
  );
  return rows;
}

/** One mail by id, or null. */
export async function readMail(db: TQueryable, id: number): Promise<TStoredMail | null> {
  const { rows } = await db.query<TStoredMail>(`select ${COLUMNS} from local_mail.messages where id = $1`, [id]);
  return rows[0] ?? null;
}
