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
  /([rRbBuUfF]{0,2})("""(?:[^"\\]|\\[\s\S]|"(?!""))*"""|'''(?:[^'\\]|\\[\s\S]|'(?!''))*'''|"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')|#[^\r\n]*|\\\r?\n|\r?\n|[\p{L}_][\p{L}\p{N}_]*|\d[\w.]*|\*\*=?|\/\/=?|>>=?|<<=?|->|:=|[-+*/%&|^@<>=!]=|[^\s]/gu;

interface Token {
  text: string;
  /** A string literal's canonical form (its value's text for plain literals), else undefined. */
  string?: string;
  /** Brackets open before it. */
  depth: number;
}

/** A logical line: its tokens (comments and continuations dropped) and its first one's column. */
interface Line {
  column: number;
  tokens: Token[];
}

function logicalLines(code: string): Line[] {
  const lines: Line[] = [];
  let line: Line | undefined;
  let depth = 0;
  for (const match of code.matchAll(TOKEN)) {
    const text = match[0];
    const at = match.index!;
    if (text.startsWith('#') || text.startsWith('\\')) continue;
    if (text.endsWith('\n')) {
      if (depth === 0) line = undefined;
      continue;
    }
    if (!line) {
      line = { column: at - code.lastIndexOf('\n', at - 1) - 1, tokens: [] };
      lines.push(line);
    }
    const token: Token = { text, depth };
    if (match[2] !== undefined) token.string = canonicalString(match[1], match[2]);
    if ('([{'.includes(text)) depth++;
    else if (')]}'.includes(text)) depth = Math.max(0, depth - 1);
    line.tokens.push(token);
  }
  return lines;
}

/** `'a'`, `"a"` and `"""a"""` are one value; escapes, bytes and f-strings keep their spelling. */
function canonicalString(prefix: string, quoted: string): string {
  const kind = prefix.toLowerCase().replace('u', '');
  const quote = quoted.startsWith('"""') || quoted.startsWith("'''") ? 3 : 1;
  const body = quoted.slice(quote, -quote);
  if (kind === 'r' || (kind === '' && !body.includes('\\'))) return `s${JSON.stringify(body)}`;
  return `${kind}${quoted}`;
}

const isHeader = (line: Line): boolean => {
  const first = line.tokens[line.tokens[0]?.text === 'async' ? 1 : 0]?.text;
  return first === 'def' || first === 'class';
};

const isDocstring = (line: Line): boolean =>
  line.tokens.length > 0 && line.tokens.every((t) => t.string !== undefined && !/[fb]/.test(t.string.slice(0, t.string.search(/["']/))));

/** `def f(): return 1` as two lines, the body one deeper, as it reads when written on two. */
function splitOneLiners(lines: Line[]): Line[] {
  return lines.flatMap((line) => {
    const colon = isHeader(line) ? line.tokens.findIndex((t) => t.text === ':' && t.depth === 0) : -1;
    if (colon < 0 || colon === line.tokens.length - 1) return [line];
    return [{ column: line.column, tokens: line.tokens.slice(0, colon + 1) }, { column: line.column + 1, tokens: line.tokens.slice(colon + 1) }];
  });
}

// After these, parentheses around the rest of the line only group (`if (a or\n b):`, `return (x)`),
// as in black's layout of long lines. Not after `assert`, where `(x, msg)` is a tuple.
const GROUPING_AFTER = new Set(['if', 'elif', 'while', 'return', '=']);

/** The tokens without parentheses that wrap everything after `if`, `return`, `=`, ... */
function withoutGrouping(tokens: Token[]): Token[] {
  let out = tokens;
  for (let i = 0; i + 1 < out.length; i++) {
    if (out[i + 1].text !== '(' || !GROUPING_AFTER.has(out[i].text) || out[i].depth !== 0) continue;
    const close = out.findIndex((t, k) => k > i + 1 && t.depth === 1 && ')]}'.includes(t.text));
    const last = out.length - 1;
    if (close < 0 || out[close].text !== ')' || !(close === last || (close === last - 1 && out[last].text === ':'))) continue;
    out = [...out.slice(0, i + 1), ...out.slice(i + 2, close).map((t) => ({ ...t, depth: t.depth - 1 })), ...out.slice(close + 1)];
    i--;
  }
  return out;
}

/**
 * One definition's text, normalised: each logical line as its indentation level (not its width)
 * and its tokens, without grouping parentheses; docstrings dropped (a body left empty reads
 * `pass`, as Python requires).
 */
function normalised(block: Line[]): string {
  const lines = splitOneLiners(block);
  const stack: number[] = [];
  const levels = lines.map((line) => {
    while (stack.length > 0 && stack[stack.length - 1] > line.column) stack.pop();
    if (stack.length === 0 || stack[stack.length - 1] < line.column) stack.push(line.column);
    return stack.length - 1;
  });
  const out: string[] = [];
  lines.forEach((line, i) => {
    if (i > 0 && isHeader(lines[i - 1]) && levels[i] > levels[i - 1] && isDocstring(line)) {
      if (i + 1 >= lines.length || levels[i + 1] <= levels[i - 1]) out.push(`${levels[i]}|pass`);
      return;
    }
    out.push(`${levels[i]}|${withoutGrouping(line.tokens).map((t) => t.string ?? t.text).join(' ')}`);
  });
  return out.join('\n');
}

/**
 * Each top-level definition of the code, in order: its name and the hash of its normalised text,
 * from its `def`/`class` line to the next line at column 0 (decorators are left out).
 */
export function definitionsOf(code: string): Definition[] {
  const lines = logicalLines(code);
  const found: Definition[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].column !== 0 || !isHeader(lines[i])) continue;
    let end = i + 1;
    while (end < lines.length && lines[end].column !== 0) end++;
    const first = lines[i].tokens;
    const name = first[first[0].text === 'async' ? 2 : 1]?.text ?? '';
    found.push({ name, hash: createHash('sha256').update(normalised(lines.slice(i, end))).digest('hex').slice(0, 16) });
    i = end - 1;
  }
  return found;
}
