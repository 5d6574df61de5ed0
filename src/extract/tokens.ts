// A Python-ish tokenizer for similarity: identifiers, numbers, whole string literals, operators;
// comments dropped. Good enough for n-gram overlap and MinHash, and never evaluates anything.
const TOKEN =
  /#[^\r\n]*|[rRbBuUfF]{0,2}(?:"""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')|[\p{L}_][\p{L}\p{N}_]*|\d[\w.]*|\*\*=?|\/\/=?|>>=?|<<=?|->|:=|[-+*/%&|^@<>=!]=|\S/gu;

export function codeTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const match of text.matchAll(TOKEN)) {
    if (match[0].charCodeAt(0) !== 35 /* # */) tokens.push(match[0]);
  }
  return tokens;
}

/** 32-bit FNV-1a of a string. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Murmur3's finaliser: spreads the bits of a 32-bit value. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * One hash per window of `n` consecutive tokens (the whole sequence if shorter), as numbers below
 * 2^53 made of two independent 32-bit hashes, so that different n-grams practically never meet.
 */
export function ngramHashes(tokens: string[], n: number): number[] {
  const hashes = tokens.map(hashString);
  const width = Math.min(n, hashes.length);
  const out: number[] = [];
  for (let start = 0; start + width <= hashes.length && width > 0; start++) {
    let a = 0x9747b28c;
    let b = 0x5bd1e995;
    for (let i = start; i < start + width; i++) {
      a = Math.imul(a ^ hashes[i], 0x01000193);
      b = Math.imul((b ^ hashes[i]) + 0x9e3779b9, 0x85ebca6b) ^ (b >>> 15);
    }
    out.push(mix32(a) * 2 ** 21 + (mix32(b) >>> 11));
  }
  return out;
}
