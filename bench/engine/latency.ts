import * as hdr from 'hdr-histogram-js';

/** Latency figures in microseconds, from an HDR histogram of nanosecond samples. */
export interface LatencySummary {
  readonly samples: number;
  readonly p50Us: number;
  readonly p99Us: number;
  readonly p999Us: number;
  readonly maxUs: number;
}

/** Records nanosecond samples (taken with process.hrtime.bigint) and reads percentiles. */
export function summarizeLatency(samplesNs: Float64Array): LatencySummary {
  const histogram = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60e9, numberOfSignificantValueDigits: 3 });
  for (let i = 0; i < samplesNs.length; i++) histogram.recordValue(Math.max(1, samplesNs[i]!));
  const us = (p: number): number => round3(histogram.getValueAtPercentile(p) / 1000);
  const summary = { samples: samplesNs.length, p50Us: us(50), p99Us: us(99), p999Us: us(99.9), maxUs: round3(histogram.maxValue / 1000) };
  histogram.destroy();
  return summary;
}

/**
 * The cost of the two hrtime.bigint() reads around an empty body: every latency sample includes
 * it, so the table prints it beside the percentiles (nothing is subtracted).
 */
export function timerFloor(samples = 200_000): LatencySummary {
  const ns = new Float64Array(samples);
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    const t1 = process.hrtime.bigint();
    ns[i] = Number(t1 - t0);
  }
  return summarizeLatency(ns);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
