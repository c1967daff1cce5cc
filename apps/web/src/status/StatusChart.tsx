import { useEffect, useRef } from 'react';
import {
  AreaSeries, ColorType, LineSeries, createChart,
  type IChartApi, type ISeriesApi, type UTCTimestamp, type WhitespaceData, type LineData,
} from 'lightweight-charts';
import type { StatusSample } from './types.ts';

export interface Line {
  readonly name: string;
  readonly color: string;
  readonly value: (s: StatusSample) => number | null;
  /** Filled area under the line (the main figure of a chart). */
  readonly area?: boolean;
}

interface Props {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly lines: readonly Line[];
  readonly samples: readonly StatusSample[];
  /** Shown next to the title: the current figure. */
  readonly current: string;
  readonly precision?: number;
  readonly note?: string;
}

type Point = LineData<UTCTimestamp> | WhitespaceData<UTCTimestamp>;

/** One point per second; the time axis needs strictly increasing whole seconds (the last sample in a second wins). */
function points(samples: readonly StatusSample[], value: Line['value']): Point[] {
  const out: Point[] = [];
  for (const s of samples) {
    const time = Math.round(s.t / 1000) as UTCTimestamp;
    const v = value(s);
    const p: Point = v === null ? { time } : { time, value: v };
    if (out.length && out[out.length - 1]!.time >= time) out[out.length - 1] = { ...p, time: out[out.length - 1]!.time };
    else out.push(p);
  }
  return out;
}

/** A small live line/area chart (lightweight-charts) over the status history ring. */
export function StatusChart({ id, title, unit, lines, samples, current, precision = 0, note }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApi; series: ISeriesApi<'Line' | 'Area'>[] }>(undefined);

  useEffect(() => {
    const api = createChart(el.current!, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#161a1e' }, textColor: '#848e9c', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { color: '#1f242b' }, horzLines: { color: '#1f242b' } },
      rightPriceScale: { borderColor: '#2b3139', scaleMargins: { top: 0.15, bottom: 0.05 } },
      timeScale: { borderColor: '#2b3139', timeVisible: true, secondsVisible: true, rightOffset: 0 },
      handleScroll: false, handleScale: false,
    });
    const priceFormat = { type: 'price' as const, precision, minMove: 1 / 10 ** precision };
    const series = lines.map((l) => l.area
      ? api.addSeries(AreaSeries, { lineColor: l.color, topColor: `${l.color}55`, bottomColor: `${l.color}05`, lineWidth: 2, priceFormat, title: lines.length > 1 ? l.name : '' })
      : api.addSeries(LineSeries, { color: l.color, lineWidth: 2, priceFormat, title: lines.length > 1 ? l.name : '' }));
    chart.current = { api, series };
    // keep the whole ring in view when the panel changes size (rotation, window resize)
    const ro = new ResizeObserver(() => requestAnimationFrame(() => chart.current?.api.timeScale().fitContent()));
    ro.observe(el.current!);
    return () => {
      ro.disconnect();
      api.remove();
      chart.current = undefined;
    };
  }, [lines, precision]); // `lines` are module constants: the chart is built once

  useEffect(() => {
    const c = chart.current;
    if (!c) return;
    lines.forEach((l, i) => c.series[i]!.setData(points(samples, l.value)));
    if (samples.length) c.api.timeScale().fitContent();
  }, [samples, lines]);

  const last = samples[samples.length - 1];
  return (
    <section className="panel status-chart" aria-label={title} data-testid={`chart-${id}`} data-points={samples.length}
      data-last={last ? String(lines[0]!.value(last) ?? '') : ''}>
      <div className="panel-bar">
        <h2 className="panel-title">{title} <span className="muted">({unit})</span></h2>
        <div className="status-legend">
          {lines.length > 1 && lines.map((l) => <span key={l.name}><i style={{ background: l.color }} />{l.name}</span>)}
          <b className="status-current" data-testid={`current-${id}`}>{current}</b>
        </div>
      </div>
      {note && <p className="status-note">{note}</p>}
      <div ref={el} className="status-canvas" role="img" aria-label={`${title} over the last ${samples.length} seconds`} />
    </section>
  );
}
