// A function must not be able to change what the next function sees.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import type { CallOutcome } from '../../src/contract/index.js';
import { pyFunction } from '../helpers/python.js';

describe('isolation between jobs', () => {
  let sandbox: Sandbox;
  // One worker, so every job lands in the same interpreter as the one before it.
  before(async () => {
    sandbox = await Sandbox.start({ workers: 1 });
  });
  after(() => sandbox.close());

  const run = async (body: string, calls = [{}]): Promise<CallOutcome[]> =>
    sandbox.runFunction({ code: pyFunction(body), entry: 'f', calls });
  const value = (outcome: CallOutcome) => (outcome.verdict === 'return' ? outcome.repr : JSON.stringify(outcome));

  it('gives every function fresh globals', async () => {
    await run('global leaked\nleaked = 1\nreturn leaked');
    const [outcome] = await run("return 'leaked' in globals()");
    assert.equal(value(outcome), 'False');
  });

  it('shares one namespace between the calls of one job, in order', async () => {
    const code = 'seen = []\ndef f(x):\n    seen.append(x)\n    return list(seen)\n';
    const outcomes = await sandbox.runFunction({ code, entry: 'f', calls: [{ args: ['1'] }, { args: ['2'] }] });
    assert.deepEqual(outcomes.map(value), ['[1]', '[1, 2]']);
  });

  it('restores builtins patched by a function', async () => {
    await run('import builtins\nbuiltins.len = lambda x: 42\nbuiltins.evil = True\nreturn len([])');
    const [outcome] = await run("import builtins\nreturn len([1, 2]), hasattr(builtins, 'evil')");
    assert.equal(value(outcome), '(2, False)');
  });

  it('restores sys.modules after a function fills or poisons it', async () => {
    const [before] = await run('import sys\nreturn len(sys.modules)');
    await run("import sys, types\nfor i in range(500):\n    sys.modules[f'junk{i}'] = types.ModuleType('junk')\nsys.modules['math'] = None\nreturn 1");
    const [afterwards] = await run('import sys, math\nreturn len(sys.modules), math.sqrt(16)');
    assert.equal(value(afterwards), `(${value(before)}, 4.0)`);
  });

  it('restores attributes of common modules', async () => {
    await run('import math, json\nmath.pi = 3\njson.dumps = None\nreturn 1');
    const [outcome] = await run('import math, json\nreturn math.pi, json.dumps([1])');
    assert.equal(value(outcome), "(3.141592653589793, '[1]')");
  });

  it('restores stdin, stdout and stderr after a function closes them', async () => {
    await run('import sys\nsys.stdout.close()\nsys.stderr.close()\nsys.stdin.close()\nsys.stdout = None\nreturn 1');
    const [outcome] = await run("print('hello')\nimport sys\nreturn sys.stdin.read()");
    assert.equal(outcome.verdict, 'return');
    assert.equal(outcome.verdict === 'return' && outcome.stdout, 'hello\n');
    assert.equal(value(outcome), "''");
  });

  it('evaluates each argument expression on its own lines, so comments and odd spacing are safe', async () => {
    const code = 'def f(*args, **kwargs):\n    return args, kwargs\n';
    const calls = [{ args: ['1  # one', '[2,\n 3]'], kwargs: { k: "'v'  # a comment" } }, { args: ['1 +'] }];
    const [ok, bad] = await sandbox.runFunction({ code, entry: 'f', calls });
    assert.equal(value(ok), "((1, [2, 3]), {'k': 'v'})");
    assert.equal(bad.verdict, 'bad-input');
  });

  it('restores the recursion limit', async () => {
    const [limit] = await run('import sys\nreturn sys.getrecursionlimit()');
    await run('import sys\nsys.setrecursionlimit(50)\nreturn 1');
    const [outcome] = await run('import sys\nreturn sys.getrecursionlimit()');
    assert.equal(value(outcome), value(limit));
  });

  it('restores the environment, the int-to-str limit and the decimal context', async () => {
    await run("import os, sys, decimal\nos.environ['X'] = '1'\nsys.set_int_max_str_digits(640)\ndecimal.getcontext().prec = 3\nreturn 1");
    const [outcome] = await run("import os, sys, decimal\nreturn 'X' in os.environ, sys.get_int_max_str_digits(), decimal.getcontext().prec");
    assert.equal(value(outcome), '(False, 4300, 28)');
  });
});
