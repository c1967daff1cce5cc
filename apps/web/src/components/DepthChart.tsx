import { useEffect, useRef } from 'react';
import type { MarketMeta } from '../api/types.ts';
import type { BookView } from '../hooks/useOrderBook.ts';
import { fmt } from '../lib/decimal.ts';

/** Cumulative depth (bids left, asks right) drawn on a canvas, sized to its box. */
export function DepthChart({ meta, book }: { meta: MarketMeta; book: BookView }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const draw = () => {
      const c = canvas.current;
      const b = box.current;
      if (!c || !b) return;
      const dpr = window.devicePixelRatio || 1;
      const w = b.clientWidth;
      const h = b.clientHeight;
      c.width = w * dpr;
      c.height = h * dpr;
      c.style.width = `${w}px`;
      c.style.height = `${h}px`;
      const g = c.getContext('2d');
      if (!g) return;
      g.scale(dpr, dpr);
      g.clearRect(0, 0, w, h);
      const bids = book.bids.slice(0, 100).map(([p, q]) => [Number(p), Number(q)] as const);
      const asks = book.asks.slice(0, 100).map(([p, q]) => [Number(p), Number(q)] as const);
      if (!bids.length && !asks.length) {
        g.fillStyle = '#848e9c';
        g.font = '12px system-ui, sans-serif';
        g.textAlign = 'center';
        g.fillText('The book is empty', w / 2, h / 2);
        return;
      }
      const cum = (lv: (readonly [number, number])[]) => {
        let t = 0;
        return lv.map(([p, q]) => [p, (t += q)] as const);
      };
      const cb = cum(bids);
      const ca = cum(asks);
      const mid = bids.length && asks.length ? (bids[0]![0] + asks[0]![0]) / 2 : (bids[0]?.[0] ?? asks[0]![0]);
      const span = Math.max(mid - (cb[cb.length - 1]?.[0] ?? mid), (ca[ca.length - 1]?.[0] ?? mid) - mid, mid * 0.001);
      const lo = mid - span;
      const hi = mid + span;
      const maxQ = Math.max(cb[cb.length - 1]?.[1] ?? 0, ca[ca.length - 1]?.[1] ?? 0) * 1.1;
      const pad = 24;
      const x = (p: number) => ((p - lo) / (hi - lo)) * w;
      const y = (q: number) => h - pad - (q / maxQ) * (h - pad - 16);
      const area = (pts: (readonly [number, number])[], color: string, fill: string, edge: number) => {
        if (!pts.length) return;
        g.beginPath();
        g.moveTo(x(pts[0]![0]), h - pad);
        let prevQ = 0;
        for (const [p, q] of pts) {
          g.lineTo(x(p), y(prevQ));
          g.lineTo(x(p), y(q));
          prevQ = q;
        }
        g.lineTo(edge, y(prevQ));
        g.lineTo(edge, h - pad);
        g.closePath();
        g.fillStyle = fill;
        g.fill();
        g.strokeStyle = color;
        g.lineWidth = 1.5;
        g.stroke();
      };
      area(cb, '#0ecb81', 'rgba(14,203,129,0.18)', 0);
      area(ca, '#f6465d', 'rgba(246,70,93,0.18)', w);
      g.fillStyle = '#848e9c';
      g.font = '11px system-ui, sans-serif';
      g.textAlign = 'left';
      g.fillText(fmt(lo, meta.priceDecimals), 4, h - 8);
      g.textAlign = 'center';
      g.fillText(fmt(mid, meta.priceDecimals), w / 2, h - 8);
      g.textAlign = 'right';
      g.fillText(fmt(hi, meta.priceDecimals), w - 4, h - 8);
    };
    draw();
    const ro = new ResizeObserver(draw);
    if (box.current) ro.observe(box.current);
    return () => ro.disconnect();
  }, [book, meta.priceDecimals]);

  return (
    <div className="depth-chart" ref={box} data-testid="depth-chart">
      <canvas ref={canvas} role="img" aria-label={`${meta.symbol} depth chart`} />
    </div>
  );
}
