import { ASSET_SCALE, formatUnitsTrimmed } from '@matchbox/domain';
import type { Engine } from '@matchbox/engine';

/** Books (top levels per side) and every account's balances, as plain text for a terminal. */
export function renderState(engine: Engine, depthLevels: number): string {
  const lines: string[] = [`state at seq ${engine.lastSeq} (ts ${engine.lastTs}), hash ${engine.stateHash()}, ${engine.openOrderCount()} open orders`];
  for (const ms of engine.markets) {
    const m = ms.market;
    const d = engine.depth(m.symbol, depthLevels)!;
    const price = (ticks: number): string => formatUnitsTrimmed(ticks * m.tickUnits, ASSET_SCALE);
    const qty = (lots: number): string => formatUnitsTrimmed(lots * m.lotUnits, ASSET_SCALE);
    lines.push('', `${m.symbol}  book update id ${d.lastUpdateId}`);
    if (d.asks.length === 0 && d.bids.length === 0) {
      lines.push('  (empty)');
      continue;
    }
    for (const [p, q] of [...d.asks].reverse()) lines.push(`  ask ${price(p).padStart(16)}  ${qty(q).padStart(16)}`);
    lines.push('  ---');
    for (const [p, q] of d.bids) lines.push(`  bid ${price(p).padStart(16)}  ${qty(q).padStart(16)}`);
  }
  lines.push('', 'balances (free / locked):');
  const ids = [0, ...[...engine.accounts.keys()].sort((a, b) => a - b)];
  for (const id of ids) {
    const rows = (engine.balances(id) ?? []).filter((b) => b.freeUnits !== 0 || b.lockedUnits !== 0);
    if (rows.length === 0) continue;
    const who = id === 0 ? 'fees' : `user ${id}`;
    lines.push(`  ${who.padEnd(10)} ${rows.map((b) => `${b.asset} ${formatUnitsTrimmed(b.freeUnits, ASSET_SCALE)} / ${formatUnitsTrimmed(b.lockedUnits, ASSET_SCALE)}`).join('   ')}`);
  }
  return lines.join('\n');
}
