// `--float-tolerance`: two reprs match when they are the same text except for floats that are
// close: |a - b| <= tol * max(1, |a|, |b|) (math.isclose with rel_tol = abs_tol = tol). The reprs
// are split into tokens (string literals whole, names, numbers, single characters); every token but
// a number must be identical, so a float inside a string, a dict key order or a type name still
// has to match exactly. Off by default: exact match is the benchmark's rule.

type Token = { kind: 'number'; text: string; value: number; float: boolean } | { kind: 'other'; text: string };

const NUMBER = /^(?:\d+\.\d*|\.\d+|\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;
const VALUE_END = /[\w'")\]}]$/;

export function reprsMatch(expected: string, actual: string, tolerance: number | undefined): boolean {
  if (expected === actual) return true;
  if (!tolerance) return false;
  const a = tokens(expected);
  const b = tokens(actual);
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => tokensMatch(x, b[i], tolerance));
}

function tokensMatch(x: Token, y: Token, tolerance: number): boolean {
  if (x.kind === 'number' && y.kind === 'number') {
    if (!x.float && !y.float) return x.text === y.text;
    if (Number.isNaN(x.value) || Number.isNaN(y.value)) return Number.isNaN(x.value) && Number.isNaN(y.value);
    if (!Number.isFinite(x.value) || !Number.isFinite(y.value)) return x.value === y.value;
    return Math.abs(x.value - y.value) <= tolerance * Math.max(1, Math.abs(x.value), Math.abs(y.value));
  }
  return x.kind === y.kind && x.text === y.text;
}

/** The tokens of a repr, or undefined when a string literal never closes (then only exact text counts). */
function tokens(text: string): Token[] | undefined {
  const out: Token[] = [];
  let at = 0;
  let previous = '';
  while (at < text.length) {
    const rest = text.slice(at);
    const c = text[at];
    // A minus right before a number, where no value ends (start, `(`, `,`, `: `...), is its sign.
    const signed = c === '-' && !VALUE_END.test(previous) ? numberAt(rest.slice(1)) : undefined;
    const number = signed ? { ...signed, text: '-' + signed.text, value: -signed.value } : numberAt(rest);
    if (number) {
      out.push(number);
      at += number.text.length;
      previous = number.text;
      continue;
    }
    if (c === "'" || c === '"') {
      const end = closingQuote(text, at);
      if (end < 0) return undefined;
      const literal = text.slice(at, end + 1);
      out.push({ kind: 'other', text: literal });
      at = end + 1;
      previous = literal;
      continue;
    }
    const name = NAME.exec(rest)?.[0];
    const piece = name ?? c;
    if (piece === 'inf' || piece === 'nan') out.push({ kind: 'number', text: piece, value: piece === 'inf' ? Infinity : NaN, float: true });
    else out.push({ kind: 'other', text: piece });
    at += piece.length;
    if (piece.trim() !== '') previous = piece;
  }
  return out;
}

function numberAt(text: string): Extract<Token, { kind: 'number' }> | undefined {
  if (text.startsWith('inf') && !/^inf\w/.test(text)) return { kind: 'number', text: 'inf', value: Infinity, float: true };
  const match = NUMBER.exec(text)?.[0];
  if (!match) return undefined;
  return { kind: 'number', text: match, value: Number(match), float: /[.eE]/.test(match) };
}

function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}
