import { useState } from 'react';
import type { MarketMeta } from '../api/types.ts';
import type { BookView } from '../hooks/useOrderBook.ts';
import { INTERVALS, type Interval } from '../lib/time.ts';
import { PriceChart } from './PriceChart.tsx';
import { DepthChart } from './DepthChart.tsx';

export function ChartPanel({ meta, book }: { meta: MarketMeta; book: BookView }) {
  const [view, setView] = useState<'price' | 'depth'>('price');
  const [interval, setInterval] = useState<Interval>(() => (localStorage.getItem('matchbox.interval') as Interval | null) ?? '1m');
  const pick = (i: Interval) => {
    setInterval(i);
    localStorage.setItem('matchbox.interval', i);
  };
  return (
    <div className="chart-panel">
      <div className="panel-bar">
        <div className="seg" role="tablist" aria-label="Chart type">
          <button type="button" role="tab" aria-selected={view === 'price'} className={view === 'price' ? 'seg-on' : ''} onClick={() => setView('price')}>Chart</button>
          <button type="button" role="tab" aria-selected={view === 'depth'} className={view === 'depth' ? 'seg-on' : ''} onClick={() => setView('depth')} data-testid="depth-tab">Depth</button>
        </div>
        {view === 'price' && (
          <div className="intervals" role="group" aria-label="Interval">
            {INTERVALS.map((i) => (
              <button key={i} type="button" aria-pressed={interval === i} className={interval === i ? 'on' : ''} onClick={() => pick(i)} data-testid={`interval-${i}`}>{i}</button>
            ))}
          </div>
        )}
      </div>
      {view === 'price' ? <PriceChart meta={meta} interval={interval} /> : <DepthChart meta={meta} book={book} />}
    </div>
  );
}
