import type { LatencySummary } from './latency.ts';
import type { MemoryResult } from './memory.ts';
import type { BenchResults, TargetResult, WorkloadResult } from './results.ts';

/** The targets of BENCHMARKS.md for bench:engine. */
export function evaluateTargets(workloads: readonly WorkloadResult[], memory: MemoryResult | null): TargetResult[] {
  const a = workloads.find((w) => w.name === 'A');
  const b = workloads.find((w) => w.name === 'B');
  const t = (name: string, value: number | null | undefined, target: number, unit: string, atMost = false): TargetResult => ({
    name, value: value ?? null, target, unit, atMost,
    met: value === null || value === undefined ? null : atMost ? value <= target : value >= target,
  });
  return [
    t('mix B commands/s', b?.engineCommandsPerS, 2_000_000, 'cmd/s'),
    t('mix B p99', b?.engineLatency.p99Us, 2, 'µs', true),
    t('mix B p99.9', b?.engineLatency.p999Us, 20, 'µs', true),
    t('mix A commands/s', a?.engineCommandsPerS, 1_000_000, 'cmd/s'),
    t('ratio to peer, mix B', b?.ratio, 10, '×'),
    t('ratio to peer, mix A', a?.ratio, 40, '×'),
    t('memory per resting order', memory?.bytesPerOrder, 200, 'B', true),
  ];
}

/** Consistency checks: the stream did what the generator predicted, and both books agree. */
export function checkResults(workloads: readonly WorkloadResult[], memory: MemoryResult | null): string[] {
  const failures: string[] = [];
  for (const w of workloads) {
    const c = w.engineCheck;
    if (c.rejectedPlaces !== 0) failures.push(`${w.name}: ${c.rejectedPlaces} places rejected (${JSON.stringify(c.rejectedErrors)}); order ids no longer match the stream`);
    if (w.peer !== null && c.rejectedCancels !== w.peer.cancelMisses) failures.push(`${w.name}: engine rejected ${c.rejectedCancels} cancels, peer missed ${w.peer.cancelMisses}`);
    if (w.peer !== null && c.openOrders !== w.peer.openOrders) failures.push(`${w.name}: engine has ${c.openOrders} open orders, peer ${w.peer.openOrders}`);
  }
  if (memory !== null && (memory.rejected !== 0 || memory.openOrders !== memory.orders)) failures.push(`memory: ${memory.rejected} rejected, ${memory.openOrders} open of ${memory.orders}`);
  return failures;
}

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const us = (x: number): string => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const lat = (l: LatencySummary | null): string => (l === null ? '—' : `${us(l.p50Us)} / ${us(l.p99Us)} / ${us(l.p999Us)}`);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')).join('\n');
}

export function printReport(r: BenchResults): void {
  const out: string[] = [];
  const first = r.workloads[0];
  out.push('', `bench:engine — ${int(first?.commands ?? 0)} commands per workload, seed ${r.seed}, 100 users, mid 10,000 ticks (BENCHMARKS.md mixes; cancel pool: ${r.cancelPool})`);
  out.push(`engine: ${r.engine} at ${r.engineRevision}`);
  out.push(`peer: ${r.peer} (matching only, same stream, same process)`);
  const busy = Math.max(r.machine.loadAvg1mStart, r.machine.loadAvg1mEnd) > r.machine.cpus / 2 ? ' — the machine was busy: figures are noisy' : '';
  out.push(`machine: ${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memGiB} GiB, Node ${r.machine.node}; `
    + `load average (1 min) ${r.machine.loadAvg1mStart} at start, ${r.machine.loadAvg1mEnd} at end${busy}`, '');
  const rows = [['workload', 'resting', 'engine cmd/s', 'runs', 'engine p50/p99/p99.9 µs', 'events/cmd', 'peer cmd/s', 'runs', 'peer p50/p99/p99.9 µs', 'ratio']];
  for (const w of r.workloads) {
    const p = w.peer;
    rows.push([
      `mix ${w.mix}, ${w.symbols} symbol${w.symbols > 1 ? 's' : ''}`, int(w.engineCheck.openOrders), int(w.engineCommandsPerS),
      String(w.engineRunsCommandsPerS.length), lat(w.engineLatency), w.engineCheck.eventsPerCommand.toFixed(2),
      p === null ? 'not run' : int(p.commandsPerS), p === null ? '—' : `${p.runsCommandsPerS.length}${p.runsTimedPerOp ? '*' : ''}`,
      lat(p?.latency ?? null), w.ratio === null ? '—' : `${w.ratio.toFixed(1)}×`,
    ]);
  }
  out.push(table(rows), '');
  const kindRows = [['engine latency by command, p50 / p99 / p99.9 µs', 'limit', 'market', 'cancel']];
  for (const w of r.workloads) {
    const k = w.engineLatencyByKind;
    kindRows.push([`mix ${w.mix}, ${w.symbols} symbol${w.symbols > 1 ? 's' : ''}`, lat(k.limit), lat(k.market), lat(k.cancel)]);
  }
  out.push(table(kindRows), '');
  out.push('engine cmd/s: median of the runs (fresh engine each, nothing but apply() timed); latency: a separate pass');
  out.push(`timing every command with process.hrtime.bigint() (${int(first?.engineLatency.samples ?? 0)} samples, HDR histogram); the two reads alone cost p50 ${us(r.timerFloor.p50Us)} µs, p99 ${us(r.timerFloor.p99Us)} µs (not subtracted).`);
  out.push('peer runs marked * timed every operation in the same pass (≈0.1 µs against its ≥4 µs per operation).', '');
  const m = r.engineMemory;
  const pm = r.peerMemory;
  if (m !== null) {
    out.push(`memory per resting order at ${int(m.orders)} resting (1 symbol, non-crossing): engine ${int(m.bytesPerOrder)} B `
      + `(heap ${int(m.heapBytesPerOrder)} + external ${int(m.externalBytesPerOrder)}; placed in ${m.placeSeconds.toFixed(2)} s)`
      + (pm === null ? '' : `; peer ${int(pm.bytesPerOrder)} B (placed in ${pm.placeSeconds.toFixed(2)} s)`), '');
  }
  const checkRows = [['check', 'result']];
  for (const w of r.workloads) {
    checkRows.push([`mix ${w.mix}/${w.symbols}: rejected places (must be 0)`, String(w.engineCheck.rejectedPlaces)]);
    checkRows.push([`mix ${w.mix}/${w.symbols}: engine rejected cancels = peer cancel misses`, `${int(w.engineCheck.rejectedCancels)} = ${w.peer === null ? '(peer not run)' : int(w.peer.cancelMisses)}`]);
  }
  out.push(table(checkRows), r.checks.ok ? 'checks: all passed' : `CHECKS FAILED:\n  ${r.checks.failures.join('\n  ')}`, '');
  const targetRows = [['target (BENCHMARKS.md)', 'measured', 'target', 'met']];
  for (const t of r.targets) {
    const v = t.value === null ? '—' : t.unit === 'cmd/s' ? int(t.value) : t.unit === '×' ? t.value.toFixed(1) : String(t.value);
    targetRows.push([t.name, `${v} ${t.unit}`, `${t.atMost ? '≤' : '≥'} ${t.unit === 'cmd/s' ? int(t.target) : t.target} ${t.unit}`, t.met === null ? '—' : t.met ? 'yes' : 'NO']);
  }
  out.push(table(targetRows), '', `total ${r.durationS.toFixed(1)} s`);
  console.log(out.join('\n'));
  // The very last line: one JSON object with every figure.
  console.log(JSON.stringify(r));
}
