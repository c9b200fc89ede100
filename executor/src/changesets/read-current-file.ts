import fs from "node:fs/promises";

/** A workspace file's current bytes and permission bits. */
export type TCurrentFile = { bytes: Buffer; mode: number };

/**
 * Reads a resolved workspace file without following a symlink at the last step (O_NOFOLLOW), so a
 * file swapped for a symlink after it was resolved is refused rather than read. Null when the file
 * does not exist. `maxBytes` refuses a larger file before reading it.
 */
export async function readCurrentFile(file: string, options: { maxBytes?: number } = {}): Promise<TCurrentFile | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new Error(`${file} is not a regular file`);
    if (options.maxBytes !== undefined && stat.size > options.maxBytes) {
      throw new FileTooLargeError(`${file} has ${stat.size} bytes`, stat.size);
    }
    return { bytes: await handle.readFile(), mode: stat.mode & 0o7777 };
  } finally {
    await handle.close();
  }
}

/** Thrown by readCurrentFile when a file is over `maxBytes`. */
export class FileTooLargeError extends Error {
  constructor(
    message: string,
    readonly bytes: number,
  ) {
    super(message);
  }
}
