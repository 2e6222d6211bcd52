// A sorted set value: Redis's skiplist with spans, ordered by (score, member)
// with members compared bytewise (latin1 strings compare by char code, which
// is byte order), plus a member -> score DenseMap for O(1) ZSCORE, O(1)
// random picks (ZRANDMEMBER) and a ZSCAN cursor with Redis's guarantee.
// Spans make rank queries and rank-indexed access O(log N).
//
// Redis 7.0 keeps a small zset as a listpack and converts it to a skiplist
// once it holds more than zset-max-listpack-entries members or any member
// longer than zset-max-listpack-value bytes, never converting back. We always
// use the skiplist and only track which encoding Redis would report, plus the
// one visible difference: a listpack stores a score as its %.17g text
// through the integer path, so -0 reads back as 0 there.

import { DenseMap } from '../dense-map.js';
import { stringBytes, type Container } from '../values.js';

export interface ZSetLimits {
  /** zset-max-listpack-entries */
  readonly maxListpackEntries: number;
  /** zset-max-listpack-value (bytes of one member) */
  readonly maxListpackValue: number;
}

export const DEFAULT_ZSET_LIMITS: ZSetLimits = { maxListpackEntries: 128, maxListpackValue: 64 };

/** A score interval as ZRANGEBYSCORE takes it: "(" makes a bound exclusive. */
export interface ScoreRange {
  min: number;
  max: number;
  minex: boolean;
  maxex: boolean;
}

/** One end of a lex interval: "-" (inf -1), "+" (inf 1), "[x" or "(x" (inf 0). */
export interface LexBound {
  value: string;
  /** -1 below every member, 1 above every member, 0 a real string. */
  inf: -1 | 0 | 1;
  ex: boolean;
}

export interface LexRange {
  min: LexBound;
  max: LexBound;
}

const MAX_LEVEL = 32;

type Link = ZNode | null;

export class ZNode {
  backward: ZNode | null = null;
  readonly next: (ZNode | null)[];
  readonly span: number[];
  constructor(
    readonly member: string,
    public score: number,
    level: number,
  ) {
    this.next = new Array<ZNode | null>(level).fill(null);
    this.span = new Array<number>(level).fill(0);
  }
}

/** Object header, the empty DenseMap and the 32-level header node. */
const BASE_BYTES = 200 + 32 * 16;
/** Per member: node object and arrays, DenseMap entry (Map slot, two array slots). */
const NODE_BYTES = 72;
const LEVEL_BYTES = 16;

// Skiplist levels only shape performance, never replies, so one fixed-seed
// generator shared by every zset keeps the keyspace deterministic without
// threading the keyspace's random source through every insert.
let levelSeed = 0x2545f491;
function randomLevel(): number {
  let level = 1;
  for (;;) {
    levelSeed ^= levelSeed << 13;
    levelSeed ^= levelSeed >>> 17;
    levelSeed ^= levelSeed << 5;
    // Redis's ZSKIPLIST_P = 0.25: two random bits both zero.
    if ((levelSeed & 3) !== 0 || level >= MAX_LEVEL) return level;
    level++;
  }
}

// Search scratch space shared by all zsets: commands run to completion, so
// no two searches ever overlap, and the hot path allocates nothing.
const update: ZNode[] = new Array<ZNode>(MAX_LEVEL);
const rankAt: number[] = new Array<number>(MAX_LEVEL).fill(0);

export function scoreGteMin(v: number, r: ScoreRange): boolean {
  return r.minex ? v > r.min : v >= r.min;
}

export function scoreLteMax(v: number, r: ScoreRange): boolean {
  return r.maxex ? v < r.max : v <= r.max;
}

/** Redis's sdscmplex: compares a member with a bound, "-" and "+" being the extremes. */
function cmpLex(member: string, b: LexBound): number {
  if (b.inf !== 0) return -b.inf;
  return member < b.value ? -1 : member > b.value ? 1 : 0;
}

export function lexGteMin(member: string, r: LexRange): boolean {
  const c = cmpLex(member, r.min);
  return r.min.ex ? c > 0 : c >= 0;
}

export function lexLteMax(member: string, r: LexRange): boolean {
  const c = cmpLex(member, r.max);
  return r.max.ex ? c < 0 : c <= 0;
}

/** Orders two lex bounds as Redis's sdscmplex does ("-" lowest, "+" highest). */
function cmpBounds(a: LexBound, b: LexBound): number {
  if (a.inf !== b.inf) return a.inf < b.inf ? -1 : 1;
  if (a.inf !== 0) return 0;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** True when no string can satisfy the range (min above max, or equal with an open end). */
export function lexRangeEmpty(r: LexRange): boolean {
  const c = cmpBounds(r.min, r.max);
  return c > 0 || (c === 0 && (r.min.ex || r.max.ex));
}

export function scoreRangeEmpty(r: ScoreRange): boolean {
  return r.min > r.max || (r.min === r.max && (r.minex || r.maxex));
}

/** (score, member) of a comes before (score, member)? */
function before(n: ZNode, score: number, member: string): boolean {
  return n.score < score || (n.score === score && n.member < member);
}

export class ZSetValue implements Container {
  readonly type = 'zset' as const;
  snapshotHolds = 0;
  /** member -> score. */
  readonly dict = new DenseMap<number>();
  private readonly header = new ZNode('', 0, MAX_LEVEL);
  private tailNode: ZNode | null = null;
  private level = 1;
  /** Nodes linked in the skiplist (equals dict.size between operations). */
  private length = 0;
  bytes = BASE_BYTES;
  private listpack: boolean;

  /** `compact` false builds a skiplist from the start, as Redis does for set-operation results. */
  constructor(compact = true) {
    this.listpack = compact;
  }

  get size(): number {
    return this.dict.size;
  }

  /** True while Redis would hold this zset as a listpack. */
  get compact(): boolean {
    return this.listpack;
  }

  encoding(): string {
    return this.listpack ? 'listpack' : 'skiplist';
  }

  score(member: string): number | undefined {
    return this.dict.get(member);
  }

  has(member: string): boolean {
    return this.dict.has(member);
  }

  /** Lowest (score, member), or null when empty. */
  first(): ZNode | null {
    return this.header.next[0] as Link;
  }

  /** Highest (score, member), or null when empty. */
  last(): ZNode | null {
    return this.tailNode;
  }

  /**
   * Adds member or moves it to a new score; returns true if it was new.
   * Converts to the skiplist encoding when the limits are crossed, as
   * Redis's zsetAdd does before inserting.
   */
  set(member: string, score: number, limits: ZSetLimits = DEFAULT_ZSET_LIMITS): boolean {
    const cur = this.dict.get(member);
    if (cur === undefined && this.listpack && (this.dict.size + 1 > limits.maxListpackEntries || member.length > limits.maxListpackValue)) {
      this.listpack = false;
    }
    if (this.listpack && score === 0) score = 0; // -0 reads back as 0 from a listpack
    if (cur !== undefined) {
      // -0 and 0 compare equal: Redis leaves the stored score alone then.
      if (cur !== score) {
        this.dict.set(member, score);
        this.updateScore(member, cur, score);
      }
      return false;
    }
    this.dict.set(member, score);
    this.insert(member, score);
    return true;
  }

  /** Removes member; true if it was there. */
  delete(member: string): boolean {
    const score = this.dict.get(member);
    if (score === undefined) return false;
    this.dict.delete(member);
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i] as Link;
      while (n !== null && before(n, score, member)) {
        x = n;
        n = x.next[i] as Link;
      }
      update[i] = x;
    }
    // The member is in the dict, so the search stopped right before its node.
    this.unlink(x.next[0] as ZNode);
    return true;
  }

  /**
   * Redis's zsetConvertToListpackIfNeeded for a zset built as a skiplist
   * (the *STORE results): becomes a listpack when it fits, and then -0
   * scores read back as 0.
   */
  fitLimits(limits: ZSetLimits, maxMemberLen: number): void {
    if (this.dict.size > limits.maxListpackEntries || maxMemberLen > limits.maxListpackValue) {
      this.listpack = false;
      return;
    }
    if (this.listpack) return;
    this.listpack = true;
    const vals = this.dict.vals;
    for (let i = 0; i < vals.length; i++) if (vals[i] === 0) vals[i] = 0;
    for (let n = this.header.next[0] as Link; n !== null; n = n.next[0] as Link) if (n.score === 0) n.score = 0;
  }

  /** 0-based rank of member counting from the lowest (or highest if reverse); -1 if absent. */
  rank(member: string, reverse = false): number {
    const score = this.dict.get(member);
    if (score === undefined) return -1;
    const r = this.rankOf(score, member);
    return reverse ? this.dict.size - r : r - 1;
  }

  /** 1-based rank of the element (score, member), which must be present. */
  private rankOf(score: number, member: string): number {
    let rank = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i] as Link;
      while (n !== null && (n.score < score || (n.score === score && n.member <= member))) {
        rank += x.span[i]!;
        x = n;
        n = x.next[i] as Link;
      }
      if (x !== this.header && x.member === member) return rank;
    }
    return 0;
  }

  /** 0-based rank of a node of this zset. */
  rankOfNode(n: ZNode): number {
    return this.rankOf(n.score, n.member) - 1;
  }

  /** The node at 0-based rank r (counting from the lowest), or null. */
  atRank(r: number): ZNode | null {
    if (r < 0 || r >= this.dict.size) return null;
    const target = r + 1;
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i] as Link;
      while (n !== null && traversed + x.span[i]! <= target) {
        traversed += x.span[i]!;
        x = n;
        n = x.next[i] as Link;
      }
      if (traversed === target) return x;
    }
    return null;
  }

  /** Lowest node inside the score range, or null. */
  firstInScoreRange(r: ScoreRange): ZNode | null {
    if (!this.overlapsScore(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i] as Link;
      while (n !== null && !scoreGteMin(n.score, r)) {
        x = n;
        n = x.next[i] as Link;
      }
    }
    const n = x.next[0] as Link;
    return n !== null && scoreLteMax(n.score, r) ? n : null;
  }

  /** Highest node inside the score range, or null. */
  lastInScoreRange(r: ScoreRange): ZNode | null {
    if (!this.overlapsScore(r)) return null;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i] as Link;
      while (n !== null && scoreLteMax(n.score, r)) {
        x = n;
        n = x.next[i] as Link;
      }
    }
    return x !== this.header && scoreGteMin(x.score, r) ? x : null;
  }

  private overlapsScore(r: ScoreRange): boolean {
    if (scoreRangeEmpty(r)) return false;
    const tail = this.tailNode;
    if (tail === null || !scoreGteMin(tail.score, r)) return false;
    const head = this.header.next[0] as Link;
    return head !== null && scoreLteMax(head.score, r);
  }

  /**
   * Lowest node inside the lex range, or null. Lex ranges assume equal
   * scores; when they are not, Redis's answer depends on the walk, so a
   * compact zset is scanned linearly as Redis scans a listpack.
   */
  firstInLexRange(r: LexRange): ZNode | null {
    if (!this.overlapsLex(r)) return null;
    if (this.listpack) {
      for (let n = this.header.next[0] as Link; n !== null; n = n.next[0] as Link) {
        if (lexGteMin(n.member, r)) return lexLteMax(n.member, r) ? n : null;
      }
      return null;
    }
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i] as Link;
      while (n !== null && !lexGteMin(n.member, r)) {
        x = n;
        n = x.next[i] as Link;
      }
    }
    const n = x.next[0] as Link;
    return n !== null && lexLteMax(n.member, r) ? n : null;
  }

  /** Highest node inside the lex range, or null (linear from the tail when compact, see above). */
  lastInLexRange(r: LexRange): ZNode | null {
    if (!this.overlapsLex(r)) return null;
    if (this.listpack) {
      for (let n = this.tailNode; n !== null; n = n.backward) {
        if (lexLteMax(n.member, r)) return lexGteMin(n.member, r) ? n : null;
      }
      return null;
    }
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i] as Link;
      while (n !== null && lexLteMax(n.member, r)) {
        x = n;
        n = x.next[i] as Link;
      }
    }
    return x !== this.header && lexGteMin(x.member, r) ? x : null;
  }

  private overlapsLex(r: LexRange): boolean {
    if (lexRangeEmpty(r)) return false;
    const tail = this.tailNode;
    if (tail === null || !lexGteMin(tail.member, r)) return false;
    const head = this.header.next[0] as Link;
    return head !== null && lexLteMax(head.member, r);
  }

  /** Number of members in the score range: O(log N) through ranks. */
  countInScoreRange(r: ScoreRange): number {
    const a = this.firstInScoreRange(r);
    if (a === null) return 0;
    const b = this.lastInScoreRange(r)!;
    return this.rankOf(b.score, b.member) - this.rankOf(a.score, a.member) + 1;
  }

  countInLexRange(r: LexRange): number {
    const a = this.firstInLexRange(r);
    if (a === null) return 0;
    if (this.listpack) {
      // ZLEXCOUNT on a listpack counts forward from the first match.
      let count = 0;
      for (let n: Link = a; n !== null && lexLteMax(n.member, r); n = n.next[0] as Link) count++;
      return count;
    }
    const b = this.lastInLexRange(r)!;
    return this.rankOf(b.score, b.member) - this.rankOf(a.score, a.member) + 1;
  }

  /** Removes the members at 0-based ranks start..end (inclusive, already clamped); returns how many. */
  deleteRangeByRank(start: number, end: number): number {
    let traversed = 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i] as Link;
      while (n !== null && traversed + x.span[i]! <= start) {
        traversed += x.span[i]!;
        x = n;
        n = x.next[i] as Link;
      }
      update[i] = x;
    }
    let removed = 0;
    let n = x.next[0] as Link;
    while (n !== null && traversed <= end) {
      const following = n.next[0] as Link;
      this.unlink(n);
      this.dict.delete(n.member);
      removed++;
      traversed++;
      n = following;
    }
    return removed;
  }

  deleteRangeByScore(r: ScoreRange): number {
    if (scoreRangeEmpty(r)) return 0;
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i] as Link;
      while (n !== null && !scoreGteMin(n.score, r)) {
        x = n;
        n = x.next[i] as Link;
      }
      update[i] = x;
    }
    let removed = 0;
    let n = x.next[0] as Link;
    while (n !== null && scoreLteMax(n.score, r)) {
      const following = n.next[0] as Link;
      this.unlink(n);
      this.dict.delete(n.member);
      removed++;
      n = following;
    }
    return removed;
  }

  deleteRangeByLex(r: LexRange): number {
    if (lexRangeEmpty(r)) return 0;
    let x = this.header;
    if (this.listpack) {
      // As Redis deletes from a listpack: from the first match (found by a
      // linear scan) while members stay <= max.
      const first = this.firstInLexRange(r);
      if (first === null) return 0;
      this.fillUpdateBefore(first);
      x = update[0]!;
    } else {
      for (let i = this.level - 1; i >= 0; i--) {
        let n = x.next[i] as Link;
        while (n !== null && !lexGteMin(n.member, r)) {
          x = n;
          n = x.next[i] as Link;
        }
        update[i] = x;
      }
    }
    let removed = 0;
    let n = x.next[0] as Link;
    while (n !== null && lexLteMax(n.member, r)) {
      const following = n.next[0] as Link;
      this.unlink(n);
      this.dict.delete(n.member);
      removed++;
      n = following;
    }
    return removed;
  }

  /** Removes and returns the lowest (or highest) element, or null when empty. */
  pop(max: boolean): ZNode | null {
    const n = max ? this.tailNode : this.header.next[0] as Link;
    if (n === null) return null;
    this.delete(n.member);
    return n;
  }

  clone(): ZSetValue {
    const c = new ZSetValue(this.listpack);
    // Walking in order and appending at the tail avoids a search per member.
    for (let n = this.header.next[0] as Link; n !== null; n = n.next[0] as Link) {
      c.dict.set(n.member, n.score);
      c.insert(n.member, n.score);
    }
    return c;
  }

  /** Checks every structural invariant (tests): order, spans, backward links, dict agreement. */
  checkInvariants(): void {
    const fail = (what: string): never => {
      throw new Error(`zset invariant: ${what}`);
    };
    let count = 0;
    let prev: ZNode | null = null;
    for (let n = this.header.next[0] as Link; n !== null; n = n.next[0] as Link) {
      count++;
      if (n.backward !== prev) fail('backward link');
      if (prev !== null && !before(prev, n.score, n.member)) fail('order');
      if (this.dict.get(n.member) !== n.score && !Object.is(this.dict.get(n.member), n.score)) fail('dict score');
      prev = n;
    }
    if (prev !== this.tailNode) fail('tail');
    if (count !== this.dict.size) fail('length');
    // Each level's spans must add up to the rank distance between linked nodes.
    for (let i = 0; i < this.level; i++) {
      let x: ZNode = this.header;
      let rank = 0;
      while (x.next[i]) {
        const n = x.next[i] as ZNode;
        rank += x.span[i]!;
        if (this.rankOf(n.score, n.member) !== rank) fail(`span at level ${i}`);
        x = n;
      }
    }
    for (let i = this.level; i < MAX_LEVEL; i++) if (this.header.next[i] !== null) fail('level');
    if (this.level > 1 && this.header.next[this.level - 1] === null) fail('top level empty');
  }

  // --- skiplist internals ---

  /** Fills `update` with the last node before `target` on every level, searching by its (score, member). */
  private fillUpdateBefore(target: ZNode): void {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i] as Link;
      while (n !== null && before(n, target.score, target.member)) {
        x = n;
        n = x.next[i] as Link;
      }
      update[i] = x;
    }
  }

  private insert(member: string, score: number): void {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      rankAt[i] = i === this.level - 1 ? 0 : rankAt[i + 1]!;
      let n = x.next[i] as Link;
      while (n !== null && before(n, score, member)) {
        rankAt[i]! += x.span[i]!;
        x = n;
        n = x.next[i] as Link;
      }
      update[i] = x;
    }
    const level = randomLevel();
    if (level > this.level) {
      for (let i = this.level; i < level; i++) {
        rankAt[i] = 0;
        update[i] = this.header;
        this.header.span[i] = this.length;
      }
      this.level = level;
    }
    const node = new ZNode(member, score, level);
    const r0 = rankAt[0]!;
    for (let i = 0; i < level; i++) {
      const u = update[i]!;
      node.next[i] = u.next[i] as Link;
      u.next[i] = node;
      node.span[i] = u.span[i]! - (r0 - rankAt[i]!);
      u.span[i] = r0 - rankAt[i]! + 1;
    }
    for (let i = level; i < this.level; i++) update[i]!.span[i]!++;
    node.backward = update[0] === this.header ? null : update[0]!;
    const after = node.next[0] as Link;
    if (after !== null) after.backward = node;
    else this.tailNode = node;
    this.length++;
    this.bytes += NODE_BYTES + LEVEL_BYTES * level + stringBytes(member.length);
  }

  /** Unlinks node given `update` filled by a search that stopped just before it. */
  private unlink(node: ZNode): void {
    for (let i = 0; i < this.level; i++) {
      const u = update[i]!;
      if (u.next[i] === node) {
        u.span[i]! += node.span[i]! - 1;
        u.next[i] = node.next[i] as Link;
      } else {
        u.span[i]!--;
      }
    }
    const after = node.next[0] as Link;
    if (after !== null) after.backward = node.backward;
    else this.tailNode = node.backward;
    while (this.level > 1 && this.header.next[this.level - 1] === null) this.level--;
    this.length--;
    this.bytes -= NODE_BYTES + LEVEL_BYTES * node.next.length + stringBytes(node.member.length);
  }

  /**
   * Moves member from score cur to score next: in place when its neighbours
   * still bracket the new score (the common ZINCRBY case), else unlink and
   * reinsert, as Redis's zslUpdateScore does.
   */
  private updateScore(member: string, cur: number, next: number): void {
    let x = this.header;
    for (let i = this.level - 1; i >= 0; i--) {
      let n = x.next[i] as Link;
      while (n !== null && before(n, cur, member)) {
        x = n;
        n = x.next[i] as Link;
      }
      update[i] = x;
    }
    const node = x.next[0] as ZNode;
    const prev = node.backward;
    const after = node.next[0] as Link;
    if ((prev === null || before(prev, next, member)) && (after === null || next < after.score || (next === after.score && member < after.member))) {
      node.score = next;
      return;
    }
    this.unlink(node);
    this.insert(member, next);
  }
}
