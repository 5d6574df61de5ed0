// The definitions a function's code carries (the entry and every helper: each top-level `def`,
// `async def` and `class`), each as a hash of its normalised code: without decorators, comments,
// docstrings, layout or quote style. A helper carried verbatim into another function's code, or
// copied into another file with other comments, has the same hash as where it is the entry, so
// the split can keep it on one side. Read from the code text alone (no interpreter), so the hashes
// are the same on every machine and Python version.
import { createHash } from 'node:crypto';

export interface Definition {
  name: string;
  hash: string;
}

// A string literal with its prefix, a comment, a name, a number, an operator or bracket, or a line
// end. Strings come first so that a `#` or a newline inside one is part of it.
const TOKEN =
  /([rRbBuUfF]{0,2})("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')|#[^\r\n]*|\\\r?\n|\r?\n|[\p{L}_][\p{L}\p{N}_]*|\d[\w.]*|\*\*=?|\/\/=?|>>=?|<<=?|->|:=|[-+*/%&|^@<>=!]=|[^\s]/gu;

interface Token {
  text: string;
  /** A string literal's canonical form (its value's text for plain literals), else undefined. */
  string?: string;
  /** Offset in the code, and whether it is the first token of a logical line at column 0. */
  at: number;
  top: boolean;
}

/** Tokens of logical lines, a `\n` token ending each one; comments and continuations dropped. */
function tokenize(code: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let lineStart = true;
  for (const match of code.matchAll(TOKEN)) {
    const text = match[0];
    const at = match.index!;
    if (text.startsWith('#') || text.startsWith('\\')) continue;
    if (text.endsWith('\n')) {
      if (depth === 0 && !lineStart) tokens.push({ text: '\n', at, top: false });
      if (depth === 0) lineStart = true;
      continue;
    }
    const column0 = at === 0 || code[at - 1] === '\n';
    const token: Token = { text, at, top: lineStart && column0 };
    if (match[2] !== undefined) token.string = canonicalString(match[1], match[2]);
    if ('([{'.includes(text)) depth++;
    else if (')]}'.includes(text)) depth = Math.max(0, depth - 1);
    lineStart = false;
    tokens.push(token);
  }
  if (!lineStart) tokens.push({ text: '\n', at: code.length, top: false });
  return tokens;
}

/** `'a'`, `"a"` and `"""a"""` are one value; escapes, bytes and f-strings keep their spelling. */
function canonicalString(prefix: string, quoted: string): string {
  const lower = prefix.toLowerCase().replace('u', '');
  const quote = quoted.startsWith('"""') || quoted.startsWith("'''") ? 3 : 1;
  const body = quoted.slice(quote, -quote);
  if (lower === '' || lower === 'r') {
    if (!body.includes('\\')) return `s${JSON.stringify(body)}`;
    if (lower === 'r') return `s${JSON.stringify(body)}`;
  }
  return `${lower}${quoted}`;
}

/** Drop each docstring: a logical line of only strings right after a `def`/`class` header line. */
function withoutDocstrings(tokens: Token[]): string[] {
  const out: string[] = [];
  let line: Token[] = [];
  let afterHeader = false;
  for (const token of tokens) {
    if (token.text !== '\n') {
      line.push(token);
      continue;
    }
    const docstring = afterHeader && line.length > 0 && line.every((t) => t.string !== undefined && !/[fb]/.test(t.string.slice(0, t.string.search(/["']/))));
    const head = line.findIndex((t) => t.text !== 'async' && t.text !== '@');
    const header = head >= 0 && (line[head].text === 'def' || line[head].text === 'class') && line[line.length - 1].text === ':';
    if (!docstring) out.push(...line.map((t) => t.string ?? t.text), '\n');
    afterHeader = header;
    line = [];
  }
  return out;
}

/**
 * Each top-level definition of the code, in order: its name and the hash of its normalised text,
 * from its `def`/`class` keyword to the next top-level statement (decorators are left out).
 */
export function definitionsOf(code: string): Definition[] {
  const tokens = tokenize(code);
  const found: Definition[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (!tokens[i].top) continue;
    let k = i;
    if (tokens[k].text === 'async') k++;
    if (tokens[k]?.text !== 'def' && tokens[k]?.text !== 'class') continue;
    const name = tokens[k + 1]?.text ?? '';
    let end = i + 1;
    while (end < tokens.length && !tokens[end].top) end++;
    const normalised = withoutDocstrings(tokens.slice(k, end)).join(' ');
    found.push({ name, hash: createHash('sha256').update(normalised).digest('hex').slice(0, 16) });
    i = end - 1;
  }
  return found;
}
