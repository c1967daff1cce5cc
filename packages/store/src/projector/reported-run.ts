import type { Projector, ProjectorStats } from './projector.ts';

/**
 * Starts a Projector that runs on a worker thread and keeps the main thread told of it:
 * - its stored cursor at once, before the first step;
 * - its counters every `everyMs` while the cursor moves;
 * - its fatal error if it stops on one.
 * Returns a function that reports a last time and stops the timer (call it after stopping the projector).
 */
export async function startReported(projector: Projector, everyMs: number, progress: (stats: ProjectorStats) => void, failed: (err: unknown) => void): Promise<() => void> {
  let reported = -1;
  const report = (): void => {
    if (projector.stats.seq === reported) return;
    reported = projector.stats.seq;
    progress({ ...projector.stats });
  };
  projector.stats.seq = await projector.cursor();
  report();
  const timer = setInterval(report, everyMs);
  projector.start();
  projector.done().catch((err: unknown) => {
    report();
    failed(err);
  });
  return () => {
    clearInterval(timer);
    report();
  };
}
