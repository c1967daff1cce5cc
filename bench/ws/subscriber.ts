/**
 * bench:ws subscriber process: opens N combined-stream connections (depth diffs + trades of one
 * symbol), checks every connection's U/u and trade-id continuity, and records delivery latency
 * (receive time − the message's E) in microseconds. Talks to run.ts over IPC.
 */
import { performance } from 'node:perf_hooks';
import * as hdr from 'hdr-histogram-js';
import WebSocket from 'ws';

interface Start { cmd: 'connect'; url: string; count: number }
interface Measure { cmd: 'measure' }
interface Stop { cmd: 'stop' }

const depthUs = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
const tradeUs = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
let measuring = false;
let gaps = 0;
let messages = 0;
let closedByServer = 0;
const sockets: WebSocket[] = [];

function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** The integer after `key` (first occurrence). */
function field(text: string, key: string): number {
  const i = text.indexOf(key);
  if (i < 0) return Number.NaN;
  let n = 0;
  for (let j = i + key.length; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  return n;
}

function open(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    let lastU = 0;
    let lastT = 0;
    let stopping = false;
    ws.on('message', (data) => {
      // The fields are read without JSON.parse: at ~1,000 messages/s per connection the client
      // processes, not the server, would otherwise be what the benchmark measures.
      const text = String(data);
      const latencyUs = Math.max(1, Math.round((nowMs() - field(text, '"E":')) * 1000));
      if (text.includes('"e":"depthUpdate"')) {
        const U = field(text, '"U":');
        if (lastU !== 0 && U !== lastU + 1) gaps++;
        lastU = field(text, '"u":');
        if (measuring) depthUs.recordValue(latencyUs);
      } else {
        const t = field(text, '"t":');
        if (lastT !== 0 && t !== lastT + 1) gaps++;
        lastT = t;
        if (measuring) tradeUs.recordValue(latencyUs);
      }
      if (measuring) messages++;
    });
    ws.once('open', () => { sockets.push(ws); resolve(); });
    ws.once('error', reject);
    ws.on('close', () => { if (!stopping && !shuttingDown) closedByServer++; stopping = true; });
  });
}

let shuttingDown = false;

process.on('message', (msg: Start | Measure | Stop) => {
  if (msg.cmd === 'connect') {
    void (async () => {
      for (let i = 0; i < msg.count; i += 50) {
        await Promise.all(Array.from({ length: Math.min(50, msg.count - i) }, () => open(msg.url)));
      }
      process.send!({ cmd: 'connected', count: sockets.length });
    })();
  } else if (msg.cmd === 'measure') {
    measuring = true;
  } else {
    measuring = false;
    shuttingDown = true;
    for (const ws of sockets) ws.terminate();
    process.send!({
      cmd: 'summary', gaps, messages, closedByServer,
      depth: hdr.encodeIntoCompressedBase64(depthUs), trade: hdr.encodeIntoCompressedBase64(tradeUs),
    }, () => process.exit(0));
  }
});
