"use client";

import type { TChangeset, TChangesetFile, TChangesetReview, TProposal } from "@mission-control/shared/rows";
import { CHANGESET_REVIEW_KINDS, type TChangesetReviewKind } from "@mission-control/shared/schemas";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useRef, useState } from "react";
import { formatAge } from "../approvals/format-age.ts";
import { useProject } from "../projects/project-context.tsx";
import { useElementWidth } from "../ui/use-element-width.ts";
import { useNow } from "../ui/use-now.ts";
import { buildApproveParams } from "./build-approve-params.ts";
import styles from "./changesets.module.css";
import { chooseDiffSides } from "./choose-diff-sides.ts";
import { describeReviewPlace, lineFromDiffClick, parseReviewDrafts, type TReviewDraft } from "./review-drafts.ts";
import { useChangeset } from "./use-changeset.ts";
import { useChangesetActions } from "./use-changeset-actions.ts";
import { type TChangesetCurrent, useChangesetCurrent } from "./use-changeset-current.ts";

// The diff viewer measures the DOM: render it in the browser only.
const ChangesetFileDiff = dynamic(() => import("./changeset-file-diff.tsx"), {
  ssr: false,
  loading: () => <p className="muted">Loading the diff…</p>,
});

const STATUS_LABELS: Record<TChangeset["status"], string> = {
  proposed: "Waiting for review",
  applied: "Applied",
  rejected: "Rejected",
  revision_requested: "Revisions requested",
  failed: "Apply failed",
  expired: "Expired",
  rolled_back: "Rolled back",
};

const KIND_LABELS: Record<TChangesetReviewKind, string> = {
  revise: "revise",
  question: "question",
  nit: "nit",
  block: "block",
};

/** Files beyond this many start folded (each diff is a large tree). */
const OPEN_FILES = 6;

/** The narrowest review (px) whose diffs show side by side; narrower ones (phones, a column) are unified. */
const SPLIT_FROM_PX = 820;

/** What became of a file once the changeset was decided; null while it waits. */
function fileOutcome(changeset: TChangeset, file: TChangesetFile): { label: string; tone: "ok" | "bad" | "muted" } | null {
  if (changeset.status === "proposed") return null;
  const accepted = file.decision === "accepted" || changeset.applied_paths.includes(file.path);
  if (changeset.status === "applied") return accepted ? { label: "applied", tone: "ok" } : { label: "not applied", tone: "muted" };
  if (changeset.status === "rolled_back")
    return accepted ? { label: "rolled back", tone: "muted" } : { label: "not applied", tone: "muted" };
  if (changeset.status === "failed") return { label: "not applied", tone: "bad" };
  return { label: "not applied", tone: "muted" };
}

/** Who wrote a review comment. */
function reviewer(review: TChangesetReview, myUserId: string): string {
  if (!review.author_user_id) return "System";
  return review.author_user_id === myUserId ? "You" : "Operator";
}

/**
 * A changeset under review: its summary, risk and stats, each file with its rationale, risk notes,
 * +/- counts and diff (against the real current file when it changed since the proposal), and
 * the review comments (side by side when the review is wide enough, unified otherwise). While it waits, operators approve the checked files, reject with a
 * comment, request revisions (comments on the changeset, a file or a line: click a line number)
 * or just comment; once applied, they can roll it back. Used on the run page, in the
 * apply_changeset approval card (`embedded`: the card shows the summary and risk) and so in the
 * task thread.
 */
export function ChangesetReview({ changesetId, embedded = false }: { changesetId: string; embedded?: boolean }) {
  const { project, canWrite, session } = useProject();
  const view = useChangeset(changesetId);
  const current = useChangesetCurrent(view.changeset);
  const { changeset, files, reviews, proposal } = view;

  if (!changeset) {
    return (
      <p className="muted" data-testid="changeset-loading">
        {view.error
          ? `Could not read the changeset: ${view.error}`
          : view.loaded
            ? "This changeset is not visible to you."
            : "Loading the changeset…"}
      </p>
    );
  }
  return (
    <section
      className={embedded ? styles.embedded : styles.review}
      aria-label={`Changeset: ${changeset.summary}`}
      data-testid="changeset-review"
      data-changeset-id={changeset.id}
      data-status={changeset.status}
    >
      {embedded ? null : (
        <div className={styles.head}>
          <span className={styles.badge}>changeset</span>
          <span className={styles.summary}>{changeset.summary}</span>
          <span className={styles.status} data-testid="changeset-status">
            {STATUS_LABELS[changeset.status]}
          </span>
        </div>
      )}
      <div className={styles.meta}>
        {/* In an approval card, the card says "waiting" and who proposed it; the changeset's own outcome still shows. */}
        {embedded && changeset.status !== "proposed" ? (
          <span className={styles.statusInline} data-testid="changeset-status">
            {STATUS_LABELS[changeset.status]}
          </span>
        ) : null}
        {embedded ? null : <span>by @{changeset.agent_key}</span>}
        <span>
          {changeset.files_count} {changeset.files_count === 1 ? "file" : "files"}
        </span>
        <span>
          <span className={styles.add}>+{changeset.additions}</span> <span className={styles.del}>−{changeset.deletions}</span>
        </span>
        {embedded ? null : (
          <span>
            risk{" "}
            <span className={styles.risk} data-risk={changeset.risk}>
              {changeset.risk}
            </span>
          </span>
        )}
        {embedded ? <Link href={`/p/${project.slug}/runs/${changeset.run_id}`}>Open the run</Link> : null}
      </div>
      {changeset.error ? (
        <p role="alert" className={styles.error} data-testid="changeset-error">
          {changeset.error}
        </p>
      ) : null}
      {current.error ? <p className={styles.note}>Could not check the workspace: {current.error}</p> : null}
      <ChangesetBody
        key={changeset.id}
        changeset={changeset}
        files={files}
        reviews={reviews}
        proposal={proposal}
        current={current}
        canWrite={canWrite}
        myUserId={session.user.id}
      />
    </section>
  );
}

/** The files, the review comments and the actions of a changeset. */
function ChangesetBody({
  changeset,
  files,
  reviews,
  proposal,
  current,
  canWrite,
  myUserId,
}: {
  changeset: TChangeset;
  files: TChangesetFile[];
  reviews: TChangesetReview[];
  proposal: TProposal | undefined;
  current: TChangesetCurrent;
  canWrite: boolean;
  myUserId: string;
}) {
  const actions = useChangesetActions();
  const now = useNow();
  const filesList = useRef<HTMLOListElement>(null);
  const split = useElementWidth(filesList) >= SPLIT_FROM_PX;
  const [unchecked, setUnchecked] = useState<ReadonlySet<string>>(new Set());
  const [folded, setFolded] = useState<ReadonlySet<string> | null>(null);
  const [mode, setMode] = useState<"idle" | "reject" | "rollback">("idle");
  const [rejectComment, setRejectComment] = useState("");
  const [draft, setDraft] = useState<TReviewDraft>({ kind: "revise", comment: "", path: null, line: null });
  const [drafts, setDrafts] = useState<TReviewDraft[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const commentBox = useRef<HTMLTextAreaElement>(null);

  const proposalOpen = proposal?.status === "proposed" && Date.parse(proposal.expires_at) > now;
  const reviewable = canWrite && changeset.status === "proposed" && proposalOpen;
  const checked = new Set(files.map((f) => f.path).filter((path) => !unchecked.has(path)));
  const foldedPaths = folded ?? new Set(files.slice(OPEN_FILES).map((f) => f.path));
  const generalReviews = reviews.filter((r) => !r.path || !files.some((f) => f.path === r.path));

  const run = async (work: () => Promise<{ notice: string | null } | undefined>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const outcome = await work();
      setNotice(outcome?.notice ?? null);
      setMode("idle");
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  const toggleChecked = (path: string) => {
    const next = new Set(unchecked);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setUnchecked(next);
  };

  const toggleFolded = (path: string) => {
    const next = new Set(foldedPaths);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setFolded(next);
  };

  const pointAt = (path: string, lineId: string) => {
    if (!canWrite) return;
    const clicked = lineFromDiffClick(lineId);
    setDraft((d) => ({ ...d, path, line: clicked?.line ?? null }));
    commentBox.current?.focus();
  };

  const approve = () => {
    if (!proposal) return;
    const built = buildApproveParams(changeset.id, files, checked);
    if (!built.ok) {
      setError(built.error);
      return;
    }
    void run(() => actions.approve(proposal.id, built.params));
  };

  const addDraft = () => {
    const parsed = parseReviewDrafts([draft], files);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    setDrafts((list) => [...list, draft]);
    setDraft((d) => ({ ...d, comment: "" }));
  };

  const sendRevision = () => {
    const parsed = parseReviewDrafts(drafts, files);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    void run(async () => {
      const outcome = await actions.requestRevision(changeset.id, parsed.reviews);
      setDrafts([]);
      return outcome;
    });
  };

  const postComment = () => {
    const parsed = parseReviewDrafts([draft], files);
    const review = parsed.ok ? parsed.reviews[0] : undefined;
    if (!review) {
      setError(parsed.ok ? "Write the comment." : parsed.error);
      return;
    }
    void run(async () => {
      await actions.comment(changeset.id, review);
      setDraft((d) => ({ ...d, comment: "" }));
      return undefined;
    });
  };

  return (
    <>
      <ol className={styles.files} aria-label="Files" ref={filesList}>
        {files.map((file) => {
          const sides = chooseDiffSides(changeset, file, current.files.get(file.path));
          const outcome = fileOutcome(changeset, file);
          const fileReviews = reviews.filter((r) => r.path === file.path);
          const open = !foldedPaths.has(file.path);
          const marked = [
            ...fileReviews.filter((r) => r.line).map((r) => `R${r.line}`),
            ...(draft.path === file.path && draft.line ? [`R${draft.line}`] : []),
          ];
          return (
            <li key={file.id} className={styles.file} data-testid="changeset-file" data-path={file.path} data-decision={file.decision}>
              <div className={styles.fileHead}>
                {reviewable ? (
                  <input
                    type="checkbox"
                    checked={checked.has(file.path)}
                    onChange={() => toggleChecked(file.path)}
                    aria-label={`Approve ${file.path}`}
                    data-testid="file-checkbox"
                  />
                ) : null}
                <span className={styles.path}>{file.path}</span>
                <span className={styles.kind} data-kind={file.change_kind}>
                  {file.change_kind}
                </span>
                <span className={styles.stats}>
                  <span className={styles.add}>+{file.additions}</span> <span className={styles.del}>−{file.deletions}</span>
                </span>
                {sides.drift ? (
                  <span className={styles.drift} data-testid="file-drift">
                    {sides.drift === "changed" ? "changed since the proposal" : "changed since the proposal (too large to show)"}
                  </span>
                ) : null}
                {outcome ? (
                  <span className={styles.outcome} data-tone={outcome.tone} data-testid="file-outcome">
                    {outcome.label}
                  </span>
                ) : null}
                <button
                  type="button"
                  className={`button small ${styles.fold}`}
                  aria-expanded={open}
                  onClick={() => toggleFolded(file.path)}
                >
                  {open ? "Hide diff" : "Show diff"}
                </button>
              </div>
              {file.rationale ? <div className={styles.rationale}>{file.rationale}</div> : null}
              {file.risk_notes ? (
                <div className={styles.riskNotes}>
                  <span className={styles.riskLabel}>Risk notes</span> {file.risk_notes}
                </div>
              ) : null}
              {open ? (
                <ChangesetFileDiff
                  sides={sides}
                  split={split}
                  highlightLines={marked}
                  onLineClick={canWrite ? (lineId) => pointAt(file.path, lineId) : undefined}
                />
              ) : null}
              {fileReviews.length > 0 ? <ReviewList reviews={fileReviews} myUserId={myUserId} now={now} /> : null}
            </li>
          );
        })}
      </ol>
      {files.length === 0 ? <p className="muted">Loading the files…</p> : null}
      {generalReviews.length > 0 ? <ReviewList reviews={generalReviews} myUserId={myUserId} now={now} /> : null}

      {reviewable ? (
        <div className={styles.decide}>
          {mode === "reject" ? (
            <div className={styles.rejectBox}>
              <textarea
                value={rejectComment}
                onChange={(e) => setRejectComment(e.target.value)}
                placeholder="Why is the whole changeset rejected? (required; the agent reads it)"
                aria-label="Rejection comment"
                rows={2}
              />
              <div className={styles.actions}>
                <button
                  type="button"
                  className={`button small ${styles.reject}`}
                  disabled={busy || rejectComment.trim() === ""}
                  onClick={() => proposal && void run(() => actions.reject(proposal.id, rejectComment))}
                >
                  Reject with comment
                </button>
                <button type="button" className="button small" onClick={() => setMode("idle")}>
                  Cancel
                </button>
              </div>
            </div>
          ) : (
            <div className={styles.actions}>
              <button
                type="button"
                className={`button small ${styles.approve}`}
                disabled={busy || checked.size === 0}
                onClick={approve}
                data-testid="approve-selected"
              >
                {busy
                  ? "Working…"
                  : checked.size === files.length
                    ? `Approve all ${files.length} ${files.length === 1 ? "file" : "files"}`
                    : `Approve ${checked.size} of ${files.length} files`}
              </button>
              <button
                type="button"
                className={`button small ${styles.reject}`}
                disabled={busy}
                onClick={() => {
                  setError(null);
                  setMode("reject");
                }}
              >
                Reject…
              </button>
              {checked.size < files.length && checked.size > 0 ? (
                <span className="muted">Unchecked files are rejected; the checked ones are applied together.</span>
              ) : null}
            </div>
          )}
        </div>
      ) : changeset.status === "proposed" && proposal && !proposalOpen ? (
        <p className="muted">The approval for this changeset is no longer open ({proposal.status}).</p>
      ) : null}

      {canWrite ? (
        <div className={styles.reviewForm} data-testid="review-form">
          <div className={styles.formRow}>
            <label className={styles.inline}>
              On
              <select
                value={draft.path ?? ""}
                onChange={(e) => setDraft((d) => ({ ...d, path: e.target.value || null, line: null }))}
                aria-label="Comment on"
              >
                <option value="">the whole changeset</option>
                {files.map((f) => (
                  <option key={f.id} value={f.path}>
                    {f.path}
                  </option>
                ))}
              </select>
            </label>
            {draft.path ? (
              <label className={styles.inline}>
                line
                <input
                  type="number"
                  min={1}
                  className={styles.lineInput}
                  value={draft.line ?? ""}
                  onChange={(e) => setDraft((d) => ({ ...d, line: e.target.value ? Number(e.target.value) : null }))}
                  aria-label="Line"
                  placeholder="—"
                />
              </label>
            ) : null}
            <label className={styles.inline}>
              Kind
              <select
                value={draft.kind}
                onChange={(e) => setDraft((d) => ({ ...d, kind: e.target.value as TChangesetReviewKind }))}
                aria-label="Comment kind"
              >
                {CHANGESET_REVIEW_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            </label>
            <span className={styles.hint}>Click a line number in a diff to comment on that line.</span>
          </div>
          <textarea
            ref={commentBox}
            value={draft.comment}
            onChange={(e) => setDraft((d) => ({ ...d, comment: e.target.value }))}
            placeholder={`Comment on ${describeReviewPlace(draft)}`}
            aria-label="Review comment"
            rows={2}
          />
          <div className={styles.actions}>
            {reviewable ? (
              <button type="button" className="button small" disabled={busy || draft.comment.trim() === ""} onClick={addDraft}>
                Add to revision request
              </button>
            ) : null}
            <button type="button" className="button small" disabled={busy || draft.comment.trim() === ""} onClick={postComment}>
              Post comment only
            </button>
          </div>
          {drafts.length > 0 ? (
            <div className={styles.drafts}>
              <ul aria-label="Revision request">
                {drafts.map((d, i) => (
                  <li key={`${i}-${d.comment}`}>
                    <span className={styles.reviewKind} data-kind={d.kind}>
                      {d.kind}
                    </span>{" "}
                    <span className={styles.place}>{describeReviewPlace(d)}</span> {d.comment}{" "}
                    <button
                      type="button"
                      className={`button small ${styles.remove}`}
                      aria-label={`Remove the comment on ${describeReviewPlace(d)}`}
                      onClick={() => setDrafts((list) => list.filter((_, j) => j !== i))}
                    >
                      ×
                    </button>
                  </li>
                ))}
              </ul>
              {reviewable ? (
                <button
                  type="button"
                  className="button small primary"
                  disabled={busy}
                  onClick={sendRevision}
                  data-testid="request-revisions"
                >
                  Request revisions ({drafts.length} {drafts.length === 1 ? "comment" : "comments"})
                </button>
              ) : null}
              <span className="muted">The agent gets these comments as a new run and proposes a new changeset.</span>
            </div>
          ) : null}
        </div>
      ) : null}

      {changeset.status === "applied" && canWrite ? (
        <div className={styles.actions}>
          {changeset.rollback_requested_at ? (
            <span className={styles.pending} data-testid="rollback-requested">
              {formatAge("Rollback requested", changeset.rollback_requested_at, now)} — waiting for the executor to restore the files
            </span>
          ) : mode === "rollback" ? (
            <>
              <span>
                Restore the previous content of {changeset.applied_paths.length} {changeset.applied_paths.length === 1 ? "file" : "files"}?
              </span>
              <button
                type="button"
                className={`button small ${styles.reject}`}
                disabled={busy}
                onClick={() => void run(() => actions.rollback(changeset))}
                data-testid="confirm-rollback"
              >
                Roll back
              </button>
              <button type="button" className="button small" onClick={() => setMode("idle")}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" className="button small" onClick={() => setMode("rollback")} data-testid="rollback">
              Rollback…
            </button>
          )}
        </div>
      ) : null}
      {changeset.status === "applied" && changeset.applied_at ? (
        <p className={styles.note}>{formatAge("Applied", changeset.applied_at, now)}.</p>
      ) : null}
      {changeset.status === "rolled_back" && changeset.rolled_back_at ? (
        <p className={styles.note} data-testid="rolled-back">
          {formatAge("Rolled back", changeset.rolled_back_at, now)}: every applied file has its previous content again.
        </p>
      ) : null}

      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
      {notice ? (
        <p className={styles.notice} data-testid="changeset-notice">
          {notice}
        </p>
      ) : null}
    </>
  );
}

/** Review comments with their kind, place, author and age. */
function ReviewList({ reviews, myUserId, now }: { reviews: TChangesetReview[]; myUserId: string; now: number }) {
  return (
    <ul className={styles.reviews} aria-label="Review comments">
      {reviews.map((review) => (
        <li key={review.id} className={styles.reviewItem} data-testid="changeset-review-comment">
          <span className={styles.reviewKind} data-kind={review.kind}>
            {review.kind}
          </span>
          <span className={styles.place}>{describeReviewPlace(review)}</span>
          <span className={styles.reviewText}>{review.comment}</span>
          <span className={styles.reviewWho}>
            {reviewer(review, myUserId)} · {formatAge("", review.created_at, now).trim()}
          </span>
        </li>
      ))}
    </ul>
  );
}
