import { AppError } from "@mission-control/shared/errors";
import type { Logger } from "pino";
import type { TDb } from "../db/executor-client.ts";
import { readDbError } from "../db/read-db-error.ts";
import { decryptProviderKey } from "./decrypt-provider-key.ts";
import { encryptProviderKey } from "./encrypt-provider-key.ts";
import { MISSING_KEK_MESSAGE, type TKeks } from "./provider-keks.ts";
import { readCiphertextKekId } from "./provider-key-ciphertext.ts";

/** What a rotation did, per stored key. */
export type TRotationReport = {
  /** The key-encryption key everything is now under. */
  kekId: string;
  total: number;
  /** Re-encrypted under the current key-encryption key. */
  rotated: number;
  /** Already under it: left alone. */
  alreadyCurrent: number;
  /** Changed by someone else (a key set meanwhile, which is under the current key): left alone. */
  changedMeanwhile: number;
  /** Could not be decrypted with any key given: the operator sets these keys again. */
  failed: { connectionId: string; reason: string }[];
};

/**
 * Re-encrypts every stored provider key that is not under the current key-encryption key
 * (`keks[0]`), decrypting with any of `keks`. Each row is replaced only if it still holds the
 * ciphertext that was read, so a key set during the rotation is never overwritten. Idempotent:
 * running it again re-encrypts nothing.
 */
export async function reencryptProviderSecrets(
  db: TDb,
  options: { keks: TKeks; log?: Logger; pageSize?: number /** Only this project's keys (default: every project). */; projectId?: string },
): Promise<TRotationReport> {
  const current = options.keks[0];
  if (!current) throw new AppError("config_invalid", { message: MISSING_KEK_MESSAGE });
  const pageSize = options.pageSize ?? 200;
  const report: TRotationReport = { kekId: current.id, total: 0, rotated: 0, alreadyCurrent: 0, changedMeanwhile: 0, failed: [] };
  let after = "";
  for (;;) {
    let query = db.from("provider_connection_secrets").select("connection_id, ciphertext").order("connection_id").limit(pageSize);
    if (after) query = query.gt("connection_id", after);
    if (options.projectId) query = query.eq("project_id", options.projectId);
    const page = await query;
    if (page.error) throw readDbError(page.error, "Could not read the stored provider keys", "database_unreachable");
    for (const row of page.data) {
      report.total += 1;
      if (readCiphertextKekId(row.ciphertext) === current.id) {
        report.alreadyCurrent += 1;
        continue;
      }
      let plaintext: string;
      try {
        plaintext = decryptProviderKey(row.ciphertext, { keks: options.keks, aad: row.connection_id });
      } catch (err) {
        const reason = err instanceof AppError ? err.message : "it could not be decrypted";
        report.failed.push({ connectionId: row.connection_id, reason });
        options.log?.warn({ connectionId: row.connection_id, reason }, "provider key not re-encrypted");
        continue;
      }
      const ciphertext = encryptProviderKey(plaintext, { kek: current, aad: row.connection_id });
      const updated = await db
        .from("provider_connection_secrets")
        .update({ ciphertext, updated_at: new Date().toISOString() })
        .eq("connection_id", row.connection_id)
        .eq("ciphertext", row.ciphertext)
        .select("connection_id");
      if (updated.error) throw readDbError(updated.error, "Could not store a re-encrypted provider key", "database_unreachable");
      if (updated.data.length === 0) report.changedMeanwhile += 1;
      else report.rotated += 1;
    }
    const last = page.data.at(-1);
    if (!last || page.data.length < pageSize) break;
    after = last.connection_id;
  }
  options.log?.info({ ...report, failed: report.failed.length }, "provider keys rotated");
  return report;
}
