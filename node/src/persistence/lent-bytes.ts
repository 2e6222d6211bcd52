// The bytes behind a huge string argument, lent by the RESP parser for the
// duration of one command. RESTORE's payload arrives as bytes, the command
// layer sees strings, and the decoder wants bytes again: converting a 64 MB
// bulk to a string in one go and back to a Buffer cost two 64 MB copies, the
// first in a single event-loop turn (50-60 ms here). Instead the parser
// builds that string piece by piece as the bulk arrives (a rope, never
// flattened unless someone reads its characters) and lends the Buffer it
// assembled; decodeDumpPayloadSteps borrows it when it is handed that very
// string. Only one loan exists at a time (commands run one after another),
// and it ends when the command returns, so nothing is pinned afterwards
// unless a borrower kept it.

let lentText: string | null = null;
let lentBytes: Buffer | null = null;

/** Lends `bytes` (exactly the latin1 bytes of `text`) until endLoan(). */
export function lendBytes(text: string, bytes: Buffer): void {
  lentText = text;
  lentBytes = bytes;
}

export function endLoan(): void {
  lentText = null;
  lentBytes = null;
}

/**
 * The lent bytes of `text`, or null if `text` is not the string on loan.
 * Compared by length first: a different string of the same length is only
 * compared by content (correct, just slower) if it is not the same object.
 */
export function borrowBytes(text: string): Buffer | null {
  if (lentText === null || lentText.length !== text.length || lentText !== text) return null;
  return lentBytes;
}
