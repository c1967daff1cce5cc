import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** fsync a directory so that a create, rename or unlink inside it survives a power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `file` with `data` so that after a crash the file holds either the old or the new
 * bytes, never a mix: write a temp file, fsync it, rename over the target, fsync the directory.
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  const handle = await fsp.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fsp.rename(tmp, file);
  await fsyncDir(dir);
}

/** Removes temp files a crash in `writeFileAtomic` may have left behind. */
export async function removeStaleTemps(dir: string): Promise<void> {
  for (const name of await fsp.readdir(dir)) {
    if (name.includes('.tmp-')) await fsp.rm(path.join(dir, name), { force: true });
  }
}
