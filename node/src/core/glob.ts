// Redis's glob-style matcher (util.c stringmatchlen), used by KEYS, SCAN MATCH,
// PSUBSCRIBE and CONFIG GET: * ? [abc] [^a-z] [!a] and \ escapes, with the
// same corner cases (an unterminated [ matches literally up to the end).

export function globMatch(pattern: string, str: string, nocase = false): boolean {
  return matchAt(pattern, 0, str, 0, nocase, 0);
}

function lower(c: string, nocase: boolean): string {
  return nocase ? c.toLowerCase() : c;
}

function matchAt(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number): boolean {
  // Redis caps recursion to protect the stack from patterns like "*a*a*a*...".
  if (depth > 1000) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si <= slen) {
    const pc = p[pi]!;
    switch (pc) {
      case '*': {
        while (pi + 1 < plen && p[pi + 1] === '*') pi++;
        if (pi + 1 === plen) return true;
        for (let k = si; k <= slen; k++) {
          if (matchAt(p, pi + 1, s, k, nocase, depth + 1)) return true;
        }
        return false;
      }
      case '?':
        if (si >= slen) return false;
        si++;
        break;
      case '[': {
        if (si >= slen) return false;
        pi++;
        const not = p[pi] === '^' || p[pi] === '!';
        if (not) pi++;
        let match = false;
        const c = lower(s[si]!, nocase);
        for (;;) {
          if (pi >= plen) {
            pi--;
            break;
          }
          if (p[pi] === '\\' && pi + 1 < plen) {
            pi++;
            if (lower(p[pi]!, nocase) === c) match = true;
          } else if (p[pi] === ']') {
            break;
          } else if (pi + 2 < plen && p[pi + 1] === '-') {
            let start = lower(p[pi]!, nocase);
            let end = lower(p[pi + 2]!, nocase);
            if (start > end) [start, end] = [end, start];
            pi += 2;
            if (c >= start && c <= end) match = true;
          } else if (lower(p[pi]!, nocase) === c) match = true;
          pi++;
        }
        if (not) match = !match;
        if (!match) return false;
        si++;
        break;
      }
      case '\\':
        // An escaped char is compared literally.
        if (pi + 1 < plen) pi++;
        if (si >= slen || lower(p[pi]!, nocase) !== lower(s[si]!, nocase)) return false;
        si++;
        break;
      default:
        if (si >= slen || lower(p[pi]!, nocase) !== lower(s[si]!, nocase)) return false;
        si++;
        break;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p[pi] === '*') pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}
