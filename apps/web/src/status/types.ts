/** GET /api/v1/status — mirrors apps/server/src/status/status.ts (StatusReport). */
export interface StatusSample {
  t: number;
  seq: number;
  commandsPerSec: number;
  p50Ms: number | null;
  p99Ms: number | null;
  orders: number;
  logLag: number;
  projectionLag: number | null;
  connections: number | null;
}

export interface StatusReport {
  serverTime: number;
  startedAt: number;
  uptimeSec: number;
  seq: { last: number; durable: number; projected: number | null };
  commandsPerSec: number;
  rateWindowMs: number;
  latency: { windowMs: number; count: number; p50Ms: number | null; p90Ms: number | null; p99Ms: number | null; maxMs: number | null };
  logLag: number;
  projectionLag: number | null;
  snapshot: { seq: number; sizeBytes: number; takenAt: number | null; ageSec: number | null; commandsSince: number } | null;
  snapshotsTaken: number | null;
  connections: number | null;
  history: { intervalMs: number; capacity: number; samples: StatusSample[] };
}
