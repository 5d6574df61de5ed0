// The option tables: defaults applied by the library, unknown keys and bad values refused by name,
// and the same keys as flags (kebab case) and in a run's --config.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError, defineOptions, opt, pick } from '../../src/contract/index.js';
import { checkRunKeys, resolveRun } from '../../src/pipeline/index.js';
import { INPUTS_OPTIONS } from '../../src/inputs/index.js';
import { kebab } from '../../src/cli/flags.js';

const GROUP = defineOptions('demo', {
  count: opt.int('how many', 3, { min: 1 }),
  share: opt.number('how much', 0.5, { min: 0, max: 1 }),
  mode: opt.choice(['a', 'b'] as const, 'which', 'a'),
  name: opt.string('who'),
  files: opt.list('which files'),
  on: opt.boolean('whether', true),
});

describe('option tables', () => {
  it('apply their defaults to whatever is not given, and leave unset what has none', () => {
    assert.deepEqual(GROUP.resolve(), { count: 3, share: 0.5, mode: 'a', name: undefined, files: [], on: true });
    assert.deepEqual(GROUP.resolve({ count: 7, on: false }), { count: 7, share: 0.5, mode: 'a', name: undefined, files: [], on: false });
  });

  it('refuse an unknown key, naming it and the known ones', () => {
    assert.throws(() => GROUP.resolve({ cuont: 2 } as never), (e: unknown) => e instanceof ConfigurationError && e.kind === 'configuration' && /unknown option "cuont" \(known: count, share/.test(e.message));
  });

  it('refuse a bad value, saying what a good one is', () => {
    assert.throws(() => GROUP.resolve({ count: 0 }), /demo options: count must be a whole number of at least 1 \(got 0\)/);
    assert.throws(() => GROUP.resolve({ count: 1.5 }), /count must be a whole number/);
    assert.throws(() => GROUP.resolve({ share: 2 }), /share must be a number from 0 to 1 \(got 2\)/);
    assert.throws(() => GROUP.resolve({ mode: 'c' as never }), /mode must be one of a, b \(got "c"\)/);
    assert.throws(() => GROUP.resolve({ count: '3' as never }), /count must be a whole number/);
  });

  it('pick the keys of one group out of a larger set', () => {
    assert.deepEqual(pick(GROUP, { count: 2, other: 1, name: undefined }), { count: 2 });
  });

  it('name flags after their keys', () => {
    assert.equal(kebab('maxExecutions'), 'max-executions');
    assert.equal(kebab('llmBaseUrl'), 'llm-base-url');
  });
});

describe('run options', () => {
  it('are one flat set of keys; a misspelt one is refused with a suggestion', () => {
    assert.throws(() => checkRunKeys({ limmit: 5 }, 'run.json'), /run\.json: unknown option "limmit" \(did you mean "limit"\?\)/);
    assert.doesNotThrow(() => checkRunKeys({ limit: 5, seed: 1, maxExecutions: 10, llmModel: 'm', workers: 2 }, 'run.json'));
  });

  it('resolve every group in the library, so a bare call has the same defaults as the CLI', () => {
    const run = resolveRun({});
    assert.equal(run.run.limit, 400, 'the embedded corpus is limited when no source is given');
    assert.equal(resolveRun({ sources: ['x.py'] }).run.limit, undefined);
    assert.deepEqual(run.inputs, INPUTS_OPTIONS.resolve());
    assert.equal(run.samples.seed, run.inputs.seed, 'one seed for every random choice');
    assert.throws(() => resolveRun({ limmit: 3 } as never), /unknown option "limmit"/);
  });
});
