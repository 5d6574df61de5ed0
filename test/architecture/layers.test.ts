// The layers of the tree, checked on the compiled imports: the contract at the bottom (it imports
// nothing of the project), then io/, the services (corpus, sandbox, llm, report), the stages, the
// composers (pipeline, eval, serve), and the CLI on top. A module may import its own layer or a
// lower one, never a higher one, and a stage never imports another stage's folder: what stages
// share lives in the contract.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src');

const LAYERS: Record<string, number> = {
  contract: 0,
  io: 1,
  corpus: 2, sandbox: 2, llm: 2, report: 2,
  extract: 3, inputs: 3, execute: 3, filters: 3, samples: 3,
  // Composition: a run of stages, an evaluation (a model, the fuzzer, scoring), the reward server.
  pipeline: 4, executors: 4, eval: 4, serve: 4,
  cli: 5,
};
const STAGES = new Set(Object.keys(LAYERS).filter((folder) => LAYERS[folder] === 3));

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The top folder of src/ a file is in ('' for src/index.js, the package root). */
const folderOf = (file: string): string => path.relative(SRC, file).split(path.sep).slice(0, -1)[0] ?? '';

function projectImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/g), ...text.matchAll(/import\(\s*['"](\.[^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  return specifiers.map((specifier) => path.resolve(path.dirname(file), specifier));
}

test('every folder of src/ has a layer', () => {
  const folders = new Set(jsFiles(SRC).map(folderOf).filter((folder) => folder !== ''));
  assert.deepEqual([...folders].filter((folder) => !(folder in LAYERS)), []);
});

test('no import runs up the layers, and no stage imports another stage', () => {
  const wrong: string[] = [];
  for (const file of jsFiles(SRC)) {
    const from = folderOf(file);
    if (from === '') continue; // the package root re-exports every layer
    for (const target of projectImports(file)) {
      const to = folderOf(target);
      const where = `${path.relative(SRC, file)} -> ${path.relative(SRC, target)}`;
      if (to === '' || LAYERS[to] > LAYERS[from]) wrong.push(`${where} (layer ${LAYERS[from]} imports layer ${LAYERS[to] ?? 'root'})`);
      else if (from !== to && STAGES.has(from) && STAGES.has(to)) wrong.push(`${where} (a stage imports another stage)`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the contract imports nothing of the project but itself', () => {
  const contract = jsFiles(path.join(SRC, 'contract'));
  assert.ok(contract.length >= 5, 'the contract is compiled');
  const outside = contract.flatMap((file) => projectImports(file).filter((target) => folderOf(target) !== 'contract').map((t) => `${path.relative(SRC, file)} -> ${path.relative(SRC, t)}`));
  assert.deepEqual(outside, []);
});
