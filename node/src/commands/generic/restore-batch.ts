// The bytes MIGRATE sends for a batch of small keys: the RESTORE (or
// RESTORE-ASKING) commands of every key, as RESP, in one Buffer. Building
// them one key at a time (a DUMP payload Buffer, then a frame Buffer, then a
// writev of ten of them) cost three allocations and a copy per key; here each
// payload is serialised into one reused scratch writer and copied once into
// the batch, and the socket gets a single write. The payload bytes are the
// ones DUMP gives (writeDumpPayload): RDB object, version, CRC64.

import { ByteWriter } from '../../persistence/byte-writer.js';
import { writeDumpPayload } from '../../persistence/dump-payload.js';
import type { EncodeOptions } from '../../persistence/rdb-object.js';
import type { Value } from '../../keyspace/values.js';

/** A scratch writer that grew past this is dropped after use (one big value should not pin memory). */
const SCRATCH_KEEP_BYTES = 256 * 1024;

/** Payload of one value (reused: batches are built synchronously, one at a time). */
let scratch = new ByteWriter(256);
/** The batch being built (reused likewise; take() copies it out). */
let shared = new ByteWriter(4096);

/**
 * Appends `RESTORE key ttl payload [REPLACE]` commands to one RESP buffer.
 * One batch at a time: it is built and taken within one synchronous call.
 */
export class RestoreBatch {
  private readonly out: ByteWriter;
  /** Commands appended so far. */
  count = 0;

  /** `name`: RESTORE or RESTORE-ASKING. */
  constructor(private readonly name: string) {
    this.out = shared;
    this.out.length = 0;
  }

  add(key: string, ttl: number, value: Value, replace: boolean, opts: EncodeOptions): void {
    const w = scratch;
    w.length = 0;
    writeDumpPayload(w, value, opts);
    const payloadBytes = w.length;
    const ttlText = String(ttl);
    const name = this.name;
    this.out.latin1(
      `*${replace ? 5 : 4}\r\n$${name.length}\r\n${name}\r\n$${key.length}\r\n${key}\r\n$${ttlText.length}\r\n${ttlText}\r\n$${payloadBytes}\r\n`,
    );
    this.out.bytesOf(w.backing, 0, payloadBytes);
    this.out.latin1(replace ? '\r\n$7\r\nREPLACE\r\n' : '\r\n');
    if (w.length > SCRATCH_KEEP_BYTES) scratch = new ByteWriter(256);
    this.count++;
  }

  /** The commands, as one exact-size Buffer. */
  take(): Buffer {
    const bytes = this.out.take();
    if (this.out.length > SCRATCH_KEEP_BYTES) shared = new ByteWriter(4096);
    return bytes;
  }
}
