// notify-keyspace-events as Redis 7.0 reads and prints it: one letter per
// class, 'A' as the alias of every type class, and the canonical order in
// which CONFIG GET shows the set (so "KEA" reads back as "AKE").

export const NOTIFY = {
  keyspace: 1 << 0, // K
  keyevent: 1 << 1, // E
  generic: 1 << 2, // g
  string: 1 << 3, // $
  list: 1 << 4, // l
  set: 1 << 5, // s
  hash: 1 << 6, // h
  zset: 1 << 7, // z
  expired: 1 << 8, // x
  evicted: 1 << 9, // e
  stream: 1 << 10, // t
  keyMiss: 1 << 11, // m (not part of 'A')
  module: 1 << 12, // d
  newKey: 1 << 13, // n (not part of 'A')
} as const;

/** What 'A' stands for: every class except key-miss and new-key. */
export const NOTIFY_ALL =
  NOTIFY.generic | NOTIFY.string | NOTIFY.list | NOTIFY.set | NOTIFY.hash | NOTIFY.zset | NOTIFY.expired | NOTIFY.evicted | NOTIFY.stream | NOTIFY.module;

const LETTER_TO_FLAG: Record<string, number> = {
  A: NOTIFY_ALL,
  g: NOTIFY.generic,
  $: NOTIFY.string,
  l: NOTIFY.list,
  s: NOTIFY.set,
  h: NOTIFY.hash,
  z: NOTIFY.zset,
  x: NOTIFY.expired,
  e: NOTIFY.evicted,
  K: NOTIFY.keyspace,
  E: NOTIFY.keyevent,
  t: NOTIFY.stream,
  m: NOTIFY.keyMiss,
  d: NOTIFY.module,
  n: NOTIFY.newKey,
};

export const NOTIFY_INVALID = "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.";

/** The flags of a notify-keyspace-events string, or null if a letter is not Redis's. */
export function parseNotifyFlags(s: string): number | null {
  let flags = 0;
  for (const c of s) {
    const f = LETTER_TO_FLAG[c];
    if (f === undefined) return null;
    flags |= f;
  }
  return flags;
}

/** Redis's keyspaceEventsFlagsToString: type classes and n (or just 'A'), then K E m. */
export function notifyFlagsToString(flags: number): string {
  let out = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) out += 'A';
  else {
    const order: [number, string][] = [
      [NOTIFY.generic, 'g'],
      [NOTIFY.string, '$'],
      [NOTIFY.list, 'l'],
      [NOTIFY.set, 's'],
      [NOTIFY.hash, 'h'],
      [NOTIFY.zset, 'z'],
      [NOTIFY.expired, 'x'],
      [NOTIFY.evicted, 'e'],
      [NOTIFY.stream, 't'],
      [NOTIFY.module, 'd'],
      // Redis 7.0 prints 'n' among the type classes, so "KAn" reads back as "AK".
      [NOTIFY.newKey, 'n'],
    ];
    for (const [f, c] of order) if (flags & f) out += c;
  }
  if (flags & NOTIFY.keyspace) out += 'K';
  if (flags & NOTIFY.keyevent) out += 'E';
  if (flags & NOTIFY.keyMiss) out += 'm';
  return out;
}

/** The flag of one class letter as commands pass it to notify() ('g', '$', 'x'...); 0 if unknown. */
export function notifyClassFlag(cls: string): number {
  return cls === 'A' ? 0 : (LETTER_TO_FLAG[cls] ?? 0);
}
