/**
 * How long to wait before the next read, so reads come at most every `minGapMs`: at once when the
 * last read is older than that, otherwise when it will be. Live changes can arrive many times a
 * second; the overview is re-read after them, not once per change.
 */
export function nextReadDelay(lastReadAt: number | null, now: number, minGapMs: number): number {
  if (lastReadAt === null) return 0;
  return Math.max(0, lastReadAt + minGapMs - now);
}
