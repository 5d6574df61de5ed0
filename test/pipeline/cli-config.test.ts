// `run --config`: settings come from a JSON file, flags win, and bad files or values are named.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, CASE2CODE_QUIET: '1' } });

test('config values are used, flags override them, and errors name the file or the value', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'c2c-config-'));
  try {
    const config = path.join(dir, 'run.json');
    writeFileSync(config, JSON.stringify({ generator: 'nope', output: path.join(dir, 'out') }));
    const fromConfig = cli('run', '--config', config);
    assert.notEqual(fromConfig.status, 0);
    assert.match(fromConfig.stderr, /generator must be one of fuzz, llm, hybrid \(got "nope"\)/);

    // The flag wins over the file; llm without a model is refused before any work starts.
    const overridden = cli('run', '--config', config, '--generator', 'llm');
    assert.match(overridden.stderr, /--generator llm needs a model/);

    // A misspelt key is an error naming it, before any work (it once ran the whole job).
    writeFileSync(config, JSON.stringify({ limmit: 5, output: path.join(dir, 'out') }));
    const misspelt = cli('run', '--config', config);
    assert.notEqual(misspelt.status, 0);
    assert.match(misspelt.stderr, /unknown option "limmit" \(did you mean "limit"\?\)/);
    assert.equal(existsSync(path.join(dir, 'out')), false, 'nothing was run');

    writeFileSync(config, '{"generator": ');
    const broken = cli('run', '--config', config);
    assert.match(broken.stderr, new RegExp(`--config ${config.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: `));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
