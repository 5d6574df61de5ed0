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

const KEYWORDS = new Set(
  'False None True and as assert async await break case class continue def del elif else except finally for from global if import in is lambda match nonlocal not or pass raise return try while with yield'.split(' '),
);
// The builtins a function's behaviour hangs on (`str` or `bytes`, `min` or `max`) keep their names.
const BUILTINS = new Set(
  ('ArithmeticError AssertionError AttributeError BaseException Exception ImportError IndexError KeyError LookupError ' +
    'NameError NotImplemented NotImplementedError OSError OverflowError RuntimeError StopIteration TypeError UnicodeError ' +
    'ValueError ZeroDivisionError abs all any ascii bin bool bytearray bytes callable chr complex dict divmod enumerate ' +
    'filter float format frozenset getattr hasattr hash hex id int isinstance issubclass iter len list map max min next ' +
    'object oct ord pow range repr reversed round set setattr slice sorted str sum super tuple type zip').split(' '),
);
const NAME = /^[\p{L}_][\p{L}\p{N}_]*$/u;
const STRING = /^[rRbBuUfF]{0,2}['"]/;

/**
 * The tokens near-duplicate search compares: code tokens with every name (variables, parameters,
 * functions, attributes) as one placeholder, except keywords and the common builtins, and without
 * docstrings. Template families that differ in names and a few operators (the twelve
 * `total_ordering` helpers `_gt_from_lt`, `_le_from_ge`, ...) then look alike; string literals
 * other than docstrings stay, so `escape` and `unescape` do not.
 */
export function similarityTokens(code: string): string[] {
  const out: string[] = [];
  const tokens = codeTokens(code);
  let header = false;
  let depth = 0;
  let docstring = false;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token === 'def' || token === 'class') {
      header = true;
      depth = 0;
    } else if (token === '(' || token === '[' || token === '{') depth++;
    else if (token === ')' || token === ']' || token === '}') depth--;
    const afterHeader = docstring;
    docstring = false;
    if (afterHeader && STRING.test(token)) continue;
    if (header && token === ':' && depth === 0) {
      header = false;
      docstring = true;
    }
    if (NAME.test(token) && !KEYWORDS.has(token) && !(BUILTINS.has(token) && tokens[i - 1] !== '.')) out.push('\u0000n');
    else out.push(token);
  }
  return out;
}
