import { useEffect, useRef, useState } from 'react';
import {
  CandlestickSeries, ColorType, CrosshairMode, HistogramSeries, createChart,
  type IChartApi, type ISeriesApi, type UTCTimestamp,
} from 'lightweight-charts';
import type { Candle, MarketMeta } from '../api/types.ts';
import { useKlines } from '../hooks/useKlines.ts';
import { compact, fmt } from '../lib/decimal.ts';

const UP = '#0ecb81';
const DOWN = '#f6465d';

interface Series {
  chart: IChartApi;
  candles: ISeriesApi<'Candlestick'>;
  volume: ISeriesApi<'Histogram'>;
}

const t = (c: Candle) => (c.time / 1000) as UTCTimestamp;
const vol = (c: Candle) => ({ time: t(c), value: c.volume, color: c.close >= c.open ? 'rgba(14,203,129,0.45)' : 'rgba(246,70,93,0.45)' });

/** Candles + volume from lightweight-charts; history on load, live candle by update(). */
export function PriceChart({ meta, interval }: { meta: MarketMeta; interval: string }) {
  const el = useRef<HTMLDivElement>(null);
  const s = useRef<Series>(undefined);
  const loaded = useRef('');
  const { key, candles, version } = useKlines(meta.symbol, interval);
  const [hover, setHover] = useState<Candle>();

  useEffect(() => {
    const node = el.current!;
    const chart = createChart(node, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: '#161a1e' }, textColor: '#848e9c', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { color: '#1f242b' }, horzLines: { color: '#1f242b' } },
      crosshair: { mode: CrosshairMode.Normal },
      rightPriceScale: { borderColor: '#2b3139' },
      timeScale: { borderColor: '#2b3139', timeVisible: true, secondsVisible: interval === '1s' },
    });
    const candleSeries = chart.addSeries(CandlestickSeries, {
      upColor: UP, downColor: DOWN, borderUpColor: UP, borderDownColor: DOWN, wickUpColor: UP, wickDownColor: DOWN,
      priceFormat: { type: 'price', precision: meta.priceDecimals, minMove: Number(meta.tickSize) },
    });
    const volume = chart.addSeries(HistogramSeries, { priceScaleId: 'vol', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
    chart.priceScale('vol').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    candleSeries.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.24 } });
    chart.subscribeCrosshairMove((p) => {
      const d = p.seriesData.get(candleSeries) as { open: number; high: number; low: number; close: number } | undefined;
      const v = p.seriesData.get(volume) as { value: number } | undefined;
      setHover(d && p.time ? { time: (p.time as number) * 1000, open: d.open, high: d.high, low: d.low, close: d.close, volume: v?.value ?? 0 } : undefined);
    });
    s.current = { chart, candles: candleSeries, volume };
    loaded.current = '';
    return () => {
      chart.remove();
      s.current = undefined;
    };
  }, [meta.symbol, meta.priceDecimals, meta.tickSize, interval]);

  useEffect(() => {
    const ser = s.current;
    if (!ser || key !== `${meta.symbol}/${interval}`) return;
    const tag = `${key}#${version}`;
    const last = candles[candles.length - 1];
    if (loaded.current !== tag) {
      ser.candles.setData(candles.map((c) => ({ time: t(c), open: c.open, high: c.high, low: c.low, close: c.close })));
      ser.volume.setData(candles.map(vol));
      loaded.current = tag;
      if (candles.length) ser.chart.timeScale().scrollToRealTime();
    } else if (last) {
      ser.candles.update({ time: t(last), open: last.open, high: last.high, low: last.low, close: last.close });
      ser.volume.update(vol(last));
    }
  }, [key, candles, version, meta.symbol, interval]);

  const shown = hover ?? candles[candles.length - 1];
  const d = meta.priceDecimals;
  const dir = shown && shown.close >= shown.open ? 'up' : 'down';
  return (
    <div className="price-chart">
      <div className="ohlc" aria-live="off" data-testid="ohlc">
        {shown ? (
          <>
            <span>O <b className={dir}>{fmt(shown.open, d)}</b></span>
            <span>H <b className={dir}>{fmt(shown.high, d)}</b></span>
            <span>L <b className={dir}>{fmt(shown.low, d)}</b></span>
            <span>C <b className={dir}>{fmt(shown.close, d)}</b></span>
            <span>V <b>{compact(shown.volume)}</b></span>
          </>
        ) : (
          <span className="muted">No trades yet in {meta.symbol}</span>
        )}
      </div>
      <div ref={el} className="chart-canvas" data-testid="price-chart" data-candles={candles.length} role="img" aria-label={`${meta.symbol} ${interval} candlestick chart`} />
    </div>
  );
}
