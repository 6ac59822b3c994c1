/**
 * Record key → `records.seq` while a bulk replay runs without the id index: per slot a 32-bit hash
 * of the key and the seq, in typed arrays (at most 16 bytes per record, nothing per string). A hash
 * can collide, so a hit is only a candidate: `find` asks the caller to confirm it (one row read).
 */
export class SeqById {
  private hashes: Int32Array;
  /** 0 = empty slot; seqs start at 1. */
  private seqs: Int32Array;
  private size = 0;

  constructor(capacity = 1 << 14) {
    // Slots are found by masking the hash: the size must be a power of two.
    const size = 2 ** Math.ceil(Math.log2(Math.max(capacity, 2)));
    this.hashes = new Int32Array(size);
    this.seqs = new Int32Array(size);
  }

  add(key: string, seq: number): void {
    if ((this.size + 1) * 2 > this.seqs.length) this.grow();
    this.place(hash(key), seq);
    this.size++;
  }

  /** The seq of `key`: the first candidate `confirm` accepts, or null. */
  find(key: string, confirm: (seq: number) => boolean): number | null {
    const h = hash(key);
    const mask = this.seqs.length - 1;
    for (let i = h & mask; this.seqs[i] !== 0; i = (i + 1) & mask)
      if (this.hashes[i] === h && confirm(this.seqs[i]!)) return this.seqs[i]!;
    return null;
  }

  private place(h: number, seq: number): void {
    const mask = this.seqs.length - 1;
    let i = h & mask;
    while (this.seqs[i] !== 0) i = (i + 1) & mask;
    this.hashes[i] = h;
    this.seqs[i] = seq;
  }

  private grow(): void {
    const [hashes, seqs] = [this.hashes, this.seqs];
    this.hashes = new Int32Array(seqs.length * 2);
    this.seqs = new Int32Array(seqs.length * 2);
    for (let i = 0; i < seqs.length; i++) if (seqs[i] !== 0) this.place(hashes[i]!, seqs[i]!);
  }
}

/** FNV-1a over UTF-16 code units, 32 bits; mixed at the end so the low bits (the slot) vary. */
function hash(s: string): number {
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  return Math.imul(h, 0x85ebca6b) ^ (h >>> 13);
}
