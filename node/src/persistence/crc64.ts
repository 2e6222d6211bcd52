// CRC-64/Jones, the checksum Redis puts in a DUMP payload's footer and at the
// end of an .rdb file: reflected polynomial 0xad93d23594c935a9, initial value
// 0, no final xor (check value of "123456789" is 0xe9c6d914c4b8d9ca).
//
// JS has no fast 64-bit integers, so the register is kept as two uint32
// halves and the byte-wise table is split the same way; that keeps the inner
// loop on small integers (no BigInt), which matters for multi-MB payloads.

/** The reflected form of 0xad93d23594c935a9 (bit order reversed). */
const POLY_REFLECTED = 0x95ac9329ac4bc9b5n;

const TABLE_LO = new Uint32Array(256);
const TABLE_HI = new Uint32Array(256);
for (let i = 0; i < 256; i++) {
  let crc = BigInt(i);
  for (let k = 0; k < 8; k++) crc = (crc & 1n) !== 0n ? (crc >> 1n) ^ POLY_REFLECTED : crc >> 1n;
  TABLE_LO[i] = Number(crc & 0xffffffffn);
  TABLE_HI[i] = Number(crc >> 32n);
}

/** A running CRC64 (feed chunks in order, then `writeLE`). */
export class Crc64 {
  private lo = 0;
  private hi = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): this {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = start; i < end; i++) {
      const idx = (lo ^ buf[i]!) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ TABLE_LO[idx]!;
      hi = (hi >>> 8) ^ TABLE_HI[idx]!;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    return this;
  }

  /** Writes the 8-byte value little-endian (as Redis stores it on little-endian machines) at `offset`. */
  writeLE(out: Buffer, offset: number): void {
    out.writeUInt32LE(this.lo, offset);
    out.writeUInt32LE(this.hi, offset + 4);
  }

  /** The value as a BigInt (tests, diagnostics). */
  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }
}

export function crc64(buf: Uint8Array, start = 0, end = buf.length): bigint {
  return new Crc64().update(buf, start, end).value();
}
