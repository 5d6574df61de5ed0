// Find the code in a model's answer: the first fenced Python block, else the first fenced block of
// any language, else the raw text. An opening fence that is never closed runs to the end (answers
// cut by a stop sequence often lose their closing fence).

const OPENING = /^\s*```\s*([\w+.-]*)/;
const CLOSING = /^\s*```\s*$/;
const PYTHON_TAGS = new Set(['python', 'py', 'python3', 'py3']);

interface Block {
  lang: string;
  body: string;
}

function fencedBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let open: { lang: string; lines: string[] } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (open) {
      if (CLOSING.test(line)) {
        blocks.push({ lang: open.lang, body: open.lines.join('\n') });
        open = undefined;
      } else {
        open.lines.push(line);
      }
      continue;
    }
    const opening = OPENING.exec(line);
    if (opening) open = { lang: opening[1].toLowerCase(), lines: [] };
  }
  if (open) blocks.push({ lang: open.lang, body: open.lines.join('\n') });
  return blocks;
}

/** The code to run, or '' when the answer holds none. */
export function extractCode(text: string): string {
  const blocks = fencedBlocks(text);
  const chosen = blocks.find((b) => PYTHON_TAGS.has(b.lang)) ?? blocks[0];
  const code = chosen ? chosen.body : text;
  return code.trim() === '' ? '' : code.replace(/\s+$/, '') + '\n';
}
