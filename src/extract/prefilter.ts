// Which files are worth a parse. A top-level function starts a line with `def` (or `async def`);
// a method that can be made a function (methods.py) is a static method, one whose first
// parameter its body never names again, or (with `attributeReads`, attributes.py) one that names
// it only to read an attribute or call a method the file defines (`self.host`, `self.quote(x)`,
// never `self.assertEqual(...)`). Files with none are rejected without the cost of a parse, which
// is most of extraction's time: test modules made of classes whose methods all call
// `self.assert...` are the bulk of many corpora. A text test only: a mention in a comment
// keeps a candidate out, a stray one lets a file in (the parse then decides).
const TOP_LEVEL_DEF = /^(?:async[ \t]+)?def[ \t]/m;
const METHOD_DEF = /^([ \t]+)(?:async[ \t]+)?def[ \t]+\w+[ \t]*\([ \t]*(\w*)/gm;
const INDENTED_DEF = /^[ \t]+def[ \t]+(\w+)/gm;
const TRIPLE_QUOTED = /("""|''')[\s\S]*?\1/g;
const STATIC = /@staticmethod[ \t]*\r?\n[ \t]*(?:async[ \t]+)?def[ \t]/;

export function mayHaveFunctions(text: string, methods: boolean, attributeReads = methods): boolean {
  if (TOP_LEVEL_DEF.test(text)) return true;
  if (!methods) return false;
  if (STATIC.test(text)) return true;
  let defined: Set<string> | undefined; // the names of the file's indented defs, read once when needed
  for (const match of text.matchAll(METHOD_DEF)) {
    const [, indent, first] = match;
    if (!first) continue;
    // The method's text: up to the next line indented as much as its def, or less.
    const start = match.index! + match[0].length;
    const end = nextDedent(text, start, indent.length);
    const body = text.slice(start, end);
    if (!new RegExp(`\\b${first}\\b`).test(body)) return true;
    if (attributeReads && onlyReadsOrCallsOwn(body, first, () => (defined ??= definedNames(text)))) return true;
  }
  return false;
}

/** Every use of `first` reads an attribute (`self.host`) or calls a method the file defines
 * (`self.helper(` with a `def helper` somewhere): the calls of `self.assertEqual` that fill test
 * classes keep a file out. */
function onlyReadsOrCallsOwn(body: string, first: string, defined: () => Set<string>): boolean {
  const uses = new RegExp(`\\b${first}\\b([ \\t]*\\.[ \\t]*(\\w+)([ \\t]*\\()?)?`, 'g');
  // Docstrings ("Return the adjusted exponent of self") are no uses: triple-quoted text goes first.
  const code = body.replace(TRIPLE_QUOTED, '');
  for (const [, attribute, name, call] of code.matchAll(uses)) {
    if (!attribute) return false;
    if (call && !defined().has(name)) return false;
  }
  return true;
}

function definedNames(text: string): Set<string> {
  return new Set(Array.from(text.matchAll(INDENTED_DEF), (match) => match[1]));
}

function nextDedent(text: string, from: number, indent: number): number {
  const line = /\r?\n([ \t]*)(\S)/g;
  line.lastIndex = from;
  for (let match = line.exec(text); match; match = line.exec(text)) {
    if (match[1].length <= indent && match[2] !== '#' && match[2] !== ')') return match.index;
  }
  return text.length;
}
