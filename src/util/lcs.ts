// The longest common subsequence of two byte strings, by the classic dynamic-programming table,
// walked back the way Redis's LCS command walks it so that IDX reports the same ranges in the
// same order (from the end of the strings towards their start).

export interface LcsMatch {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

export interface LcsResult {
  length: number;
  /** The subsequence itself (latin1), when asked for. */
  text: string;
  /** Contiguous runs of the subsequence in both strings, when asked for. */
  matches: LcsMatch[];
}

/** Bytes of the table Redis would allocate: (|a|+1)(|b|+1) 32-bit cells. */
export function lcsTableBytes(a: string, b: string): number {
  return (a.length + 1) * (b.length + 1) * 4;
}

export function longestCommonSubsequence(a: string, b: string, walk: boolean, minMatchLen: number): LcsResult {
  const alen = a.length;
  const blen = b.length;
  const width = blen + 1;
  const table = new Uint32Array((alen + 1) * width);
  for (let i = 1; i <= alen; i++) {
    const ca = a.charCodeAt(i - 1);
    const row = i * width;
    const prev = row - width;
    for (let j = 1; j <= blen; j++) {
      if (ca === b.charCodeAt(j - 1)) table[row + j] = table[prev + j - 1] + 1;
      else table[row + j] = Math.max(table[prev + j], table[row + j - 1]);
    }
  }
  const length = table[alen * width + blen];
  if (!walk) return { length, text: '', matches: [] };

  const text = Buffer.alloc(length);
  const matches: LcsMatch[] = [];
  let idx = length;
  let i = alen;
  let j = blen;
  // A run grows backwards from its last byte; NONE marks that no run is open.
  const NONE = -1;
  let aStart = NONE;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      text[--idx] = a.charCodeAt(i - 1);
      if (aStart === NONE) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else {
        aStart--;
        bStart--;
      }
      // A run touching the start of either string can grow no further.
      if (aStart === 0 || bStart === 0) emit = true;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j] > table[i * width + j - 1]) i--;
      else j--;
      if (aStart !== NONE) emit = true;
    }
    if (emit) {
      if (minMatchLen === 0 || aEnd - aStart + 1 >= minMatchLen) matches.push({ aStart, aEnd, bStart, bEnd });
      aStart = NONE;
    }
  }
  return { length, text: text.toString('latin1'), matches };
}
