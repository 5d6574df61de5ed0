// The modules of its own package a file imports, read from its text without parsing, so the host
// can hand them to the extract tool with the file instead of waiting to be asked: most files then
// need one call. A guess, on purpose: a module named here that no function reaches costs a read,
// and one missed is asked for by the tool; the verdicts are the same either way.
import type { PackageRef } from '../corpus/index.js';

const FROM = /^[ \t]*from[ \t]+(\.*)[ \t]*([A-Za-z_][\w.]*)?[ \t]+import[ \t]+(\([^)]*\)|[^\n#;]*)/gm;
const IMPORT = /^[ \t]*import[ \t]+([^\n#;]+)/gm;
const MAX_GUESSES = 32;

export function packageImports(text: string, ref: PackageRef): string[] {
  const top = ref.module.split('.')[0];
  const own = ref.module.split('.');
  if (!ref.init) own.pop();
  const found = new Set<string>();
  const add = (name: string) => found.size < MAX_GUESSES && found.add(name);
  for (const match of text.matchAll(FROM)) {
    const [, dots, module = '', names] = match;
    if (dots.length > 0) {
      if (dots.length > own.length) continue;
      const base = own.slice(0, own.length - (dots.length - 1));
      const target = [...base, ...(module ? [module] : [])].join('.');
      add(target);
      // `from . import utils`: the names may be submodules.
      if (!module) for (const name of names.replace(/[()]/g, '').split(',')) add(`${target}.${name.trim().split(/\s+/)[0]}`);
    } else if (module === top || module.startsWith(`${top}.`)) add(module);
  }
  for (const match of text.matchAll(IMPORT)) {
    for (const part of match[1].split(',')) {
      const name = part.trim().split(/\s+/)[0];
      if (name.startsWith(`${top}.`)) add(name);
    }
  }
  return [...found].filter((name) => /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*$/.test(name) && name !== ref.module);
}
