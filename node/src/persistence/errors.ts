// Decoding failures of RDB-encoded data. They are values, not bugs: a
// corrupt or foreign payload is an expected input, and RESTORE turns any of
// them into Redis's one reply ("Bad data format"); the message says what was
// wrong for logs and tests.

export class RdbFormatError extends Error {
  override readonly name = 'RdbFormatError';
}

/** Throws RdbFormatError(what) unless cond holds. */
export function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new RdbFormatError(what);
}
