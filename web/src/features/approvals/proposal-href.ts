/** Where a proposal is shown on its own: the Approvals page, focused on it (pending or in the history). */
export function proposalHref(projectSlug: string, proposalId: string): string {
  return `/p/${projectSlug}/approvals?proposal=${encodeURIComponent(proposalId)}`;
}
