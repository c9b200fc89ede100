/** The tail of the queue of writers of each workspace (real path) in this process. */
const queues = new Map<string, Promise<void>>();

/**
 * Runs `work` when no other apply, rollback or recovery of this process is writing `workspace`,
 * so two approvals (or an approval and a rollback) never interleave their checks and writes.
 */
export async function withWorkspaceLock<T>(workspace: string, work: () => Promise<T>): Promise<T> {
  const previous = queues.get(workspace) ?? Promise.resolve();
  let release: () => void = () => {};
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  queues.set(workspace, tail);
  await previous;
  try {
    return await work();
  } finally {
    release();
    if (queues.get(workspace) === tail) queues.delete(workspace);
  }
}
