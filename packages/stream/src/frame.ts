/**
 * Pre-encoded WebSocket text frames. A market event goes to many clients: its JSON and its frame
 * (server frames are unmasked) are built once and the same bytes are queued on every connection.
 */

const OPCODE_TEXT_FIN = 0x81;

/** A complete unmasked, unfragmented text frame holding `payload`. */
export function textFrame(payload: string): Buffer {
  const bodyLength = Buffer.byteLength(payload);
  const headerLength = bodyLength < 126 ? 2 : bodyLength < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + bodyLength);
  frame[0] = OPCODE_TEXT_FIN;
  if (headerLength === 2) {
    frame[1] = bodyLength;
  } else if (headerLength === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(bodyLength, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(0, 2);
    frame.writeUInt32BE(bodyLength, 6);
  }
  frame.write(payload, headerLength);
  return frame;
}

/**
 * One event of one stream, framed lazily in the two shapes clients ask for: raw (`/ws/…`) and
 * combined (`/stream?streams=…`, wrapped as `{"stream","data"}`).
 */
export class StreamMessage {
  private raw: Buffer | undefined;
  private combined: Buffer | undefined;

  constructor(readonly stream: string, readonly json: string) {}

  static of(stream: string, payload: unknown): StreamMessage {
    return new StreamMessage(stream, JSON.stringify(payload));
  }

  frame(combined: boolean): Buffer {
    if (combined) {
      this.combined ??= textFrame(`{"stream":${JSON.stringify(this.stream)},"data":${this.json}}`);
      return this.combined;
    }
    this.raw ??= textFrame(this.json);
    return this.raw;
  }
}
