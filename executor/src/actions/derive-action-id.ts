import crypto from "node:crypto";

/**
 * A stable UUID for the row an action creates, derived from the proposal id: running the same
 * proposal's insert twice hits the primary key instead of creating a second row.
 */
export function deriveActionId(proposalId: string, purpose: string): string {
  const hex = crypto.createHash("sha256").update(`${purpose}:${proposalId}`).digest("hex");
  // Shaped as a version 8 (custom) UUID with the RFC 4122 variant.
  const variant = ((Number.parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
