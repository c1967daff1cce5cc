/** Child-process entry of ws-blast: receives its options over IPC, runs, sends the result back, exits. */
import { blast, type BlastOptions, type WorkerMessage } from './ws-blast.ts';

const send = (m: WorkerMessage): Promise<void> => new Promise((resolve) => process.send!(m, undefined, undefined, () => resolve()));

process.once('message', (o: BlastOptions) => {
  blast(o, () => void send({ type: 'started' }))
    .then((result) => send({ type: 'result', result }))
    .catch((err: unknown) => send({ type: 'error', message: (err as Error)?.stack ?? String(err) }))
    .finally(() => process.exit(0));
});
