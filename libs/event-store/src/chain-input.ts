import { hash } from 'node:crypto';

/**
 * What both chain formats share: one reused buffer into which a step's input is written in place
 * (the previous hash first, then the format's bytes), and its SHA-256. The steps are synchronous, so
 * one buffer serves every step; no per-step concatenation, no `createHash` stream object (which
 * cost more CPU and garbage than the SHA-256 of a whole event).
 */
export class ChainInput {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private at = 0;

  /** Starts a step's input with the previous hash; `bound` is at most how many bytes follow it. */
  start(prev: Buffer, bound: number): void {
    const need = prev.length + bound;
    if (need > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    // set, not prev.copy: the same bytes, without copy's argument handling.
    this.buf.set(prev, 0);
    this.at = prev.length;
  }

  byte(value: number): void {
    this.buf[this.at++] = value;
  }

  /** A big-endian signed 64-bit integer; the caller has checked it is a safe integer. */
  int64(value: number): void {
    const high = Math.floor(value / 2 ** 32);
    this.buf.writeInt32BE(high, this.at);
    this.at = this.buf.writeUInt32BE(value - high * 2 ** 32, this.at + 4);
  }

  /** The text's UTF-8 bytes (the bound counted 3 per UTF-16 unit: never truncated). */
  utf8(text: string): void {
    this.at += this.buf.write(text, this.at, 'utf8');
  }

  /** A big-endian 32-bit byte length, then the text's UTF-8 bytes: one encoding pass. */
  lengthPrefixedUtf8(text: string): void {
    const written = this.buf.write(text, this.at + 4, 'utf8');
    this.buf.writeUInt32BE(written, this.at);
    this.at += 4 + written;
  }

  /**
   * SHA-256 of the input so far. Taken as 'binary' (latin1) text and copied into a pooled Buffer: a
   * Buffer made by the native side has its own backing store, which costs more to allocate and
   * collect than the SHA-256 of the row.
   */
  digest(): Buffer {
    return Buffer.from(hash('sha256', this.buf.subarray(0, this.at), 'binary'), 'binary');
  }
}

/** The input every chain step of this process writes into. */
export const CHAIN_INPUT = new ChainInput();

/** At most 3 UTF-8 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units). */
export const UTF8_BYTES_PER_UNIT = 3;
