// Node's Buffer has had these since v0.x; @types/node omits them. They skip the
// argument normalisation of toString/write, which matters on the RESP hot path.
declare global {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    latin1Write(s: string, offset: number, length?: number): number;
  }
}
export {};
