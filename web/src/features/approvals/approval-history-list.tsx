"use client";

import type { TProposal } from "@mission-control/shared/rows";
import { useEffect, useMemo, useRef } from "react";
import type { TOlderRows } from "../live/use-older-rows.ts";
import { LIST_ITEM } from "../ui/use-list-keys.ts";
import { VirtualOlderFooter } from "../ui/virtual-older-footer.tsx";
import { usePageVirtualizer } from "../ui/virtual-page-list.ts";
import { ApprovalCard } from "./approval-card.tsx";
import styles from "./approvals.module.css";

/** A decided card with its summary, params and outcome; cards are measured once rendered. */
const CARD_ESTIMATE_PX = 180;
/** The space between cards (the inbox list's gap), inside each measured row. */
const CARD_GAP_PX = 8;

/**
 * The approvals history, newest outcome first: only the cards on screen are rendered, and older
 * proposals are read from the database as the reader nears the end (`older`). j/k (and arrows) move
 * between cards as in the inbox; a linked proposal (?proposal=…) is scrolled to and focused once
 * loaded. `where` renders the line above each card (its task or thread).
 */
export function ApprovalHistoryList({
  proposals,
  agentName,
  focusId,
  older,
  onKeyDown,
  where,
}: {
  proposals: TProposal[];
  agentName: (key: string) => string;
  focusId: string | null;
  older: TOlderRows;
  onKeyDown: (event: React.KeyboardEvent<HTMLElement>) => void;
  where: (proposal: TProposal) => React.ReactNode;
}) {
  const { listRef, virtualizer, scroller, startOf, onFocusCapture } = usePageVirtualizer<HTMLOListElement>({
    count: proposals.length,
    estimateSize: CARD_ESTIMATE_PX,
    getItemKey: (index) => proposals[index]?.id ?? String(index),
  });
  const focusIndex = useMemo(() => (focusId ? proposals.findIndex((p) => p.id === focusId) : -1), [proposals, focusId]);

  // A link to one proposal scrolls its card into the rendered range, then focuses it (once: rows
  // arriving later must not pull the reader back to it).
  const focused = useRef<string | null>(null);
  useEffect(() => {
    if (focusIndex < 0 || !focusId || focused.current === focusId) return;
    virtualizer.scrollToIndex(focusIndex, { align: "center" });
    // The card renders once the scroll has moved the range: try for a few frames.
    let frame = 0;
    let tries = 0;
    const focus = () => {
      const card = document.querySelector<HTMLElement>(`[data-list-item][data-proposal-item="${CSS.escape(focusId)}"]`);
      if (card) {
        card.focus({ preventScroll: true });
        focused.current = focusId;
      } else if (tries++ < 30) frame = requestAnimationFrame(focus);
    };
    frame = requestAnimationFrame(focus);
    return () => cancelAnimationFrame(frame);
  }, [focusIndex, focusId, virtualizer]);

  const rendered = virtualizer.getVirtualItems();
  return (
    <>
      <ol
        ref={listRef}
        className={styles.inbox}
        onKeyDown={onKeyDown}
        onFocusCapture={onFocusCapture}
        aria-label="Proposal history"
        aria-busy={older.loading}
        style={{ display: "block", position: "relative", height: virtualizer.getTotalSize() }}
      >
        {rendered.map(({ index, start }) => {
          const proposal = proposals[index];
          if (!proposal) return null;
          const tabbable = focusIndex >= 0 ? index === focusIndex : index === (rendered[0]?.index ?? 0);
          return (
            <li
              key={proposal.id}
              ref={virtualizer.measureElement}
              data-index={index}
              {...LIST_ITEM}
              tabIndex={tabbable ? 0 : -1}
              aria-posinset={index + 1}
              aria-setsize={older.exhausted ? proposals.length : -1}
              className={styles.inboxItem}
              data-testid="inbox-item"
              data-proposal-item={proposal.id}
              data-linked={proposal.id === focusId || undefined}
              style={{
                position: "absolute",
                top: 0,
                left: 0,
                width: "100%",
                paddingBottom: CARD_GAP_PX,
                transform: `translateY(${startOf(start)}px)`,
              }}
            >
              <div className={styles.where}>{where(proposal)}</div>
              <ApprovalCard proposal={proposal} agentName={agentName(proposal.proposed_by_agent_key)} />
            </li>
          );
        })}
      </ol>
      <VirtualOlderFooter older={older} root={scroller} endText="That is every decided, expired and failed proposal." />
    </>
  );
}
