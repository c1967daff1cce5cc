import { FileJournal } from '@matchbox/log';
import { ExchangeWorkload } from './exchange-workload.ts';

/**
 * Writes a seeded workload's event entries into a file journal (for the CLI, the kill test and
 * manual runs): `node --import tsx write-journal.ts <dir> <commands> [batchSize] [seed]`.
 */
export async function writeJournal(dir: string, workload: ExchangeWorkload, commands: number, batchSize: number): Promise<number> {
  const journal = await FileJournal.open({ dir });
  try {
    await journal.append(workload.entries(commands, batchSize));
    return await journal.lastSeq();
  } finally {
    await journal.close();
  }
}

if (process.argv[1]?.endsWith('write-journal.ts')) {
  const [dir, commands, batchSize, seed] = process.argv.slice(2);
  if (dir === undefined) throw new Error('usage: write-journal.ts <dir> <commands> [batchSize] [seed]');
  const last = await writeJournal(dir, new ExchangeWorkload({ seed: Number(seed ?? 1) }), Number(commands ?? 10_000), Number(batchSize ?? 100));
  console.log(JSON.stringify({ dir, lastSeq: last }));
}
