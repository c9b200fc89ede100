"use client";

import type { TProposal } from "@mission-control/shared/rows";
import { ZApplyChangesetParams, ZEditDocParams } from "@mission-control/shared/schemas";
import dynamic from "next/dynamic";
import { useState } from "react";
import { ChangesetReview } from "../changesets/changeset-review.tsx";
import { EditDocDiff } from "../knowledge/edit-doc-diff.tsx";
import { useProject } from "../projects/project-context.tsx";
import { StepUpCodePrompt } from "../security/step-up-code-prompt.tsx";
import { useFormatTime } from "../ui/clock.tsx";
import { useNow } from "../ui/use-now.ts";
import styles from "./approvals.module.css";
import { formatAge, formatExpiry } from "./format-age.ts";
import { buildParams, describeParamFields, formValuesToParams, paramsToFormValues, type TFormValues } from "./params-form.ts";
import { ParamsFormEditor } from "./params-form-editor.tsx";
import { parseEditedParams } from "./parse-edited-params.ts";
import { readFileWriteDiff } from "./read-file-write-diff.ts";
import { useApprovalActions } from "./use-approval-actions.ts";
import { useStepUpApproval } from "./use-step-up-approval.ts";

// The diff viewer measures the DOM: render it in the browser only.
const FileWriteDiff = dynamic(() => import("./file-write-diff.tsx"), {
  ssr: false,
  loading: () => <p className="muted">Loading the diff…</p>,
});

const STATUS_LABELS: Record<TProposal["status"], string> = {
  proposed: "Waiting for approval",
  approved: "Approved — waiting to run",
  rejected: "Rejected",
  expired: "Expired",
  executing: "Running",
  executed: "Executed",
  failed: "Failed",
};

/** The execution result as the card lists it: a file_write's or edit_doc's previous content is in the diff already. */
function shownResult(proposal: TProposal): unknown {
  const result = proposal.execution_result;
  if (!result || typeof result !== "object" || Array.isArray(result)) return result;
  if (proposal.action_type === "file_write") {
    const { previous_content: _inDiff, ...rest } = result as Record<string, unknown>;
    return rest;
  }
  if (proposal.action_type === "edit_doc") {
    const { previous: _inDiff, ...rest } = result as Record<string, unknown>;
    return rest;
  }
  return result;
}

/** The changeset an apply_changeset proposal decides, or null for any other proposal. */
function changesetIdOf(proposal: TProposal): string | null {
  if (proposal.action_type !== "apply_changeset") return null;
  const params = ZApplyChangesetParams.safeParse(proposal.params);
  return params.success ? params.data.changeset_id : null;
}

/**
 * An approval card: what the agent wants to do (a file_write as a diff, a changeset as its review
 * with per-file approval, revisions and rollback, other actions as their params), risk, blast radius, reversibility, rollback plan, age and expiry. Operators approve,
 * edit the params (validated with the shared schema) and approve, or reject with a comment;
 * viewers see no buttons. A resolved card says who decided and when, and the execution's result
 * or error.
 */
export function ApprovalCard({ proposal, agentName }: { proposal: TProposal; agentName?: string }) {
  const { canWrite, session } = useProject();
  const format = useFormatTime();
  const formatWhen = (iso: string) => format(iso, "dayTime");
  const actions = useApprovalActions();
  const stepUp = useStepUpApproval(proposal);
  const now = useNow();
  const [mode, setMode] = useState<"idle" | "edit" | "reject">("idle");
  const [draft, setDraft] = useState("");
  const [formValues, setFormValues] = useState<TFormValues>({});
  // The form is the editor; raw JSON is the advanced fallback (and the only one for a type without fields).
  const [asJson, setAsJson] = useState(false);
  const fields = describeParamFields(proposal.action_type);
  const [comment, setComment] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const expired = proposal.status === "proposed" && Date.parse(proposal.expires_at) <= now;
  const open = proposal.status === "proposed" && !expired;
  const status = expired ? "expired" : proposal.status;
  const diff = readFileWriteDiff(proposal);
  const changesetId = changesetIdOf(proposal);
  const editsDoc = proposal.action_type === "edit_doc" && ZEditDocParams.safeParse(proposal.params).success;
  const by = agentName ?? proposal.proposed_by_agent_key;
  const resolver = proposal.resolved_by
    ? proposal.resolved_by === session.user.id
      ? "you"
      : `operator ${proposal.resolved_by.slice(0, 8)}`
    : null;

  const run = async (work: () => Promise<{ notice: string | null }>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const outcome = await work();
      setNotice(outcome.notice);
      setMode("idle");
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const approveEdited = () => {
    const parsed =
      asJson || fields.length === 0
        ? parseEditedParams(proposal.action_type, draft)
        : formValuesToParams(proposal.action_type, fields, formValues, proposal.params);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    void run(() => stepUp.guard(() => actions.approve(proposal.id, parsed.params, comment)));
  };

  return (
    <article
      className={styles.card}
      data-testid="approval-card"
      data-proposal-id={proposal.id}
      data-status={status}
      aria-label={`Proposal: ${proposal.summary || proposal.action_type} (${STATUS_LABELS[status]})`}
    >
      <div className={styles.head}>
        <span className={styles.action}>{proposal.action_type}</span>
        <span className={styles.summary}>{proposal.summary || `${by} proposes ${proposal.action_type}`}</span>
        <span className={styles.status} data-testid="approval-status">
          {STATUS_LABELS[status]}
        </span>
      </div>
      <div className={styles.meta}>
        <span>by {by}</span>
        <span title={formatWhen(proposal.created_at)}>{formatAge("proposed", proposal.created_at, now)}</span>
        {proposal.status === "proposed" ? (
          <span title={formatWhen(proposal.expires_at)}>{formatExpiry(proposal.expires_at, now)}</span>
        ) : null}
        {proposal.revision_of ? <span>revision of an earlier proposal</span> : null}
      </div>
      {changesetId ? (
        <ChangesetReview changesetId={changesetId} embedded />
      ) : editsDoc ? (
        <EditDocDiff proposal={proposal} />
      ) : diff ? (
        <FileWriteDiff diff={diff} written={!["rejected", "expired", "failed"].includes(status)} />
      ) : (
        <pre className={styles.params} data-testid="approval-params">
          {JSON.stringify(proposal.params, null, 2)}
        </pre>
      )}
      <dl className={styles.facts}>
        <dt>Risk</dt>
        <dd>
          <span className={styles.risk} data-risk={proposal.risk}>
            {proposal.risk}
          </span>
        </dd>
        <dt>Blast radius</dt>
        <dd>{proposal.blast_radius || "—"}</dd>
        <dt>Reversibility</dt>
        <dd>{proposal.reversibility}</dd>
        <dt>Rollback plan</dt>
        <dd>{proposal.rollback_plan || "—"}</dd>
      </dl>

      {/* A changeset's review carries its own decisions (per-file approval, revisions). */}
      {open && canWrite && !changesetId ? (
        <>
          {mode === "edit" ? (
            <div className={styles.editor}>
              <div className={styles.editorHead}>
                <span className="muted">Edit the params, checked against the {proposal.action_type} schema before approving</span>
                {fields.length > 0 ? (
                  <button
                    type="button"
                    className={styles.linkButton}
                    onClick={() => {
                      // Carry the edits across: the form's values into JSON, or the JSON back into the form.
                      if (asJson) {
                        const parsed = parseEditedParams(proposal.action_type, draft);
                        if (!parsed.ok) {
                          setError(parsed.error);
                          return;
                        }
                        setFormValues(paramsToFormValues(fields, parsed.params));
                      } else {
                        const built = buildParams(fields, formValues, proposal.params);
                        setDraft(JSON.stringify(built.ok ? built.params : proposal.params, null, 2));
                      }
                      setError(null);
                      setAsJson(!asJson);
                    }}
                  >
                    {asJson ? "Back to the form" : "Edit as JSON (advanced)"}
                  </button>
                ) : null}
              </div>
              {asJson || fields.length === 0 ? (
                <textarea
                  id={`params-${proposal.id}`}
                  value={draft}
                  onChange={(e) => setDraft(e.target.value)}
                  spellCheck={false}
                  aria-label="Edited params"
                />
              ) : (
                <ParamsFormEditor fields={fields} values={formValues} onChange={setFormValues} />
              )}
            </div>
          ) : null}
          {mode === "reject" ? (
            <div className={styles.editor}>
              <textarea
                value={comment}
                onChange={(e) => setComment(e.target.value)}
                placeholder="What should the agent change? (required)"
                aria-label="Rejection comment"
                rows={2}
              />
            </div>
          ) : null}
          <div className={styles.actions}>
            {mode === "idle" ? (
              <>
                <button
                  type="button"
                  className={`button small ${styles.approve}`}
                  disabled={busy}
                  data-approve
                  aria-keyshortcuts="a"
                  onClick={() => void run(() => stepUp.guard(() => actions.approve(proposal.id)))}
                >
                  {busy ? "Approving…" : "Approve"}
                </button>
                <button
                  type="button"
                  className="button small"
                  disabled={busy}
                  onClick={() => {
                    setDraft(JSON.stringify(proposal.params, null, 2));
                    setFormValues(paramsToFormValues(fields, proposal.params));
                    setAsJson(false);
                    setError(null);
                    setMode("edit");
                  }}
                >
                  Edit & approve
                </button>
                <button
                  type="button"
                  className={`button small ${styles.reject}`}
                  disabled={busy}
                  data-reject
                  aria-keyshortcuts="r"
                  onClick={() => {
                    setError(null);
                    setMode("reject");
                  }}
                >
                  Reject
                </button>
              </>
            ) : null}
            {mode === "edit" ? (
              <>
                <button type="button" className={`button small ${styles.approve}`} disabled={busy} onClick={approveEdited}>
                  Approve edited params
                </button>
                <button type="button" className="button small" onClick={() => setMode("idle")}>
                  Cancel
                </button>
              </>
            ) : null}
            {mode === "reject" ? (
              <>
                <button
                  type="button"
                  className={`button small ${styles.reject}`}
                  disabled={busy || comment.trim() === ""}
                  onClick={() => void run(() => actions.reject(proposal.id, comment))}
                >
                  Reject with comment
                </button>
                <button type="button" className="button small" onClick={() => setMode("idle")}>
                  Cancel
                </button>
              </>
            ) : null}
          </div>
        </>
      ) : null}

      {stepUp.prompt ? <StepUpCodePrompt onDone={stepUp.prompt.onDone} /> : null}
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      {notice ? (
        <p className={styles.notice} data-testid="approval-notice">
          {notice}
        </p>
      ) : null}

      {proposal.resolved_at && proposal.status !== "proposed" ? (
        <div className={styles.outcome} data-testid="approval-outcome">
          <span>
            {proposal.status === "expired"
              ? `Expired ${formatWhen(proposal.resolved_at)} without a decision — nothing ran`
              : `${proposal.status === "rejected" ? "Rejected" : "Approved"} by ${resolver ?? "an operator"} · ${formatWhen(proposal.resolved_at)}`}
          </span>
          {proposal.resolution_comment ? <span>“{proposal.resolution_comment}”</span> : null}
          {proposal.status === "executed" && proposal.finished_at ? <span>Executed {formatWhen(proposal.finished_at)}</span> : null}
          {proposal.status === "failed" ? <span className={styles.error}>{proposal.error}</span> : null}
          {/* A changeset's review above already shows each file's outcome. */}
          {proposal.execution_result != null && proposal.action_type !== "apply_changeset" ? (
            <pre className={styles.result} data-testid="execution-result">
              {JSON.stringify(shownResult(proposal), null, 2)}
            </pre>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}
