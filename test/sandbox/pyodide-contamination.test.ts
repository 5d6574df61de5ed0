// One Pyodide interpreter serves every job of a worker, so each way a job could change what a later
// job sees is tried here: a victim job's outcomes after an attacker job must equal its outcomes
// alone. Each attacker first shows, inside its own job, that its change took effect: the test is
// not passing because the attack failed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CallOutcome, CallSpec } from '../../src/contract/index.js';
import { pyFunction } from '../helpers/python.js';
import { PyodideWorker } from './pyodide-helpers.js';

interface Contamination {
  /** The body of the attacker's f(): makes the change, then returns what it now sees. */
  attack: string;
  /** The repr the attacker's own call returns once its change took effect. */
  sees: string | RegExp;
  /** The innocent job. */
  victim: { code: string; calls?: CallSpec[] };
}

const victimOf = (body: string): { code: string } => ({ code: pyFunction(body, 'v') });

const CONTAMINATIONS: Record<string, Contamination> = {
  "the harness, through sys._getframe(1).f_globals (f(21) for x * 2 reported 43)": {
    attack: `
      import sys
      frame = sys._getframe(1)
      while frame is not None:
          g = frame.f_globals
          if 'return_outcome' in g:
              g['return_outcome'] = lambda value, ms, out: {'verdict': 'return', 'repr': repr(value + 1) if type(value) is int else repr(value), 'ms': ms}
          if 'config' in g and isinstance(g['config'], dict):
              g['config']['repr_cap'] = 3
          frame = frame.f_back
      return 'patched'`,
    sees: "'patched'",
    victim: { code: 'def v(x):\n    return x * 2\n', calls: [{ args: ['21'] }, { args: ["'abcdefgh'"] }] },
  },
  'Fraction.__repr__': {
    attack: `
      from fractions import Fraction
      Fraction.__repr__ = lambda self: 'PWNED'
      return repr(Fraction(1, 3))`,
    sees: "'PWNED'",
    victim: victimOf(`
      from fractions import Fraction
      return [Fraction(1, 3), repr(Fraction(2, 4))]`),
  },
  'decimal.DefaultContext.prec': {
    attack: `
      import decimal
      decimal.DefaultContext.prec = 3
      decimal.setcontext(decimal.Context())
      return str(decimal.Decimal(1) / 7)`,
    sees: "'0.143'",
    victim: victimOf(`
      import decimal
      return str(decimal.Decimal(1) / 7)`),
  },
  "re's compile cache": {
    attack: `
      import re
      re.sub('a+', 'b', 'caaat')
      for cache in (getattr(re, '_cache', None), getattr(re, '_cache2', None)):
          if isinstance(cache, dict):
              for key in list(cache):
                  cache[key] = re.compile('zz')
      return re.sub('a+', 'b', 'caaat')`,
    sees: "'caaat'",
    victim: victimOf(`
      import re
      return [re.sub('a+', 'b', 'caaat'), re.findall(r'\\d+', 'a1b22')]`),
  },
  'copy._deepcopy_dispatch': {
    attack: `
      import copy
      copy._deepcopy_dispatch[list] = lambda x, memo: ['PWNED']
      return copy.deepcopy([1, [2]])`,
    sees: "['PWNED']",
    victim: victimOf(`
      import copy
      return copy.deepcopy([1, [2, {'a': (3,)}]])`),
  },
  'random.Random._randbelow': {
    attack: `
      import random
      random.Random._randbelow = lambda self, n: 0
      random.seed(5)
      return [random.randrange(100) for _ in range(3)]`,
    sees: '[0, 0, 0]',
    victim: victimOf(`
      import random
      random.seed(5)
      return [random.randrange(100) for _ in range(3)] + [random.choice('abcdef')]`),
  },
  'collections.abc.Sequence.register(dict) and other ABC registrations': {
    attack: `
      import collections.abc, numbers
      collections.abc.Sequence.register(dict)
      numbers.Number.register(str)
      return [isinstance({}, collections.abc.Sequence), isinstance('x', numbers.Number)]`,
    sees: '[True, True]',
    victim: victimOf(`
      import collections.abc, numbers
      return [isinstance({}, collections.abc.Sequence), isinstance('x', numbers.Number), isinstance([], collections.abc.Sequence)]`),
  },
  'json.encoder.JSONEncoder.encode (also the harness\'s own serialisation)': {
    attack: `
      import json
      json.encoder.JSONEncoder.encode = lambda self, o: '"PWNED"'
      json.dumps = lambda *a, **k: '{"batch": [{"index": 0, "outcome": {"verdict": "return", "repr": "PWNED", "ms": 0}}]}'
      return 'patched'`,
    sees: /./,
    victim: victimOf(`
      import json
      return json.dumps({'a': [1, 2.5, None]})`),
  },
  'a colorsys.py planted in the cwd, /tmp and every directory on sys.path': {
    attack: `
      import os, sys
      planted = []
      for folder in ['', '.', '/tmp', os.getcwd()] + list(sys.path):
          try:
              with open(os.path.join(folder or '.', 'colorsys.py'), 'w') as f:
                  f.write('def rgb_to_hsv(r, g, b):\\n    return "PWNED"\\n')
              planted.append(folder)
          except OSError:
              pass
      sys.path.insert(0, '/tmp')
      sys.modules.pop('colorsys', None)
      import colorsys
      return colorsys.rgb_to_hsv(1, 0, 0)`,
    sees: "'PWNED'",
    victim: victimOf(`
      import colorsys
      return colorsys.rgb_to_hsv(1, 0, 0)`),
  },
  'builtins, sys.modules and module attributes': {
    attack: `
      import builtins, sys, math, types
      builtins.len = lambda x: 42
      builtins.sorted = lambda x, **k: 'PWNED'
      fake = types.ModuleType('math')
      fake.sqrt = lambda x: -1
      sys.modules['math'] = fake
      math.pi = 3
      return [len([1]), sorted([2, 1])]`,
    sees: "[42, 'PWNED']",
    victim: victimOf(`
      import math
      return [len([1]), sorted([2, 1]), math.sqrt(16), math.pi]`),
  },
  'interpreter settings: recursion limit, int digits, warnings, gc, cwd, environment': {
    attack: `
      import gc, os, sys, warnings
      sys.setrecursionlimit(60)
      sys.set_int_max_str_digits(640)
      warnings.simplefilter('error')
      gc.disable()
      os.chdir('/')
      os.environ['C2C_PLANTED'] = 'yes'
      return [sys.getrecursionlimit(), os.getcwd()]`,
    sees: "[60, '/']",
    victim: victimOf(`
      import gc, os, sys, warnings
      def depth(n):
          return 0 if n == 0 else 1 + depth(n - 1)
      with warnings.catch_warnings(record=True) as seen:
          warnings.warn('just a warning')
      return [depth(300), len(str(10 ** 700)), len(seen), gc.isenabled(), os.getcwd(), os.environ.get('C2C_PLANTED')]`),
  },
  'streams, tracing and signal handlers': {
    attack: `
      import io, signal, sys
      sys.stdout = io.StringIO()
      sys.settrace(lambda *a: None)
      signal.signal(signal.SIGINT, signal.SIG_IGN)
      return 'patched'`,
    sees: "'patched'",
    victim: { code: 'def v(n):\n    print("n is", n)\n    while n:\n        pass\n    return n\n', calls: [{ args: ['0'] }, { args: ['1'] }] },
  },
  'files left in /tmp, open descriptors and the inode counter': {
    attack: `
      import os
      kept = [open('/tmp/f%d' % i, 'w') for i in range(200)]
      for i in range(4):  # 60 MB of the job's 64: the victim's 10 MB would not fit after these
          with open('/tmp/big%d' % i, 'wb') as f:
              f.write(b'x' * (15 * 1024 * 1024))
      return len(os.listdir('/tmp'))`,
    sees: '204',
    victim: victimOf(`
      import os
      with open('/tmp/mine', 'wb') as f:
          f.write(b'y' * (10 * 1024 * 1024))
      fd = os.open('/tmp/mine', os.O_RDONLY)
      return [sorted(os.listdir('/tmp')), fd, os.stat('/tmp/mine').st_ino, os.path.getsize('/tmp/mine')]`),
  },
  "case2code's own modules (caps, time-window hooks)": {
    attack: `
      from case2code_sandbox import limits, outcomes
      outcomes.config['repr_cap'] = 2
      limits.configure(renew=lambda: None, stop=lambda: None)
      return outcomes.config['repr_cap']`,
    sees: '2',
    victim: { code: 'def v(n):\n    while n:\n        pass\n    return "a long enough repr"\n', calls: [{ args: ['0'] }, { args: ['1'] }] },
  },
  'a big heap (wasm memory grows and never shrinks)': {
    attack: `
      blocks = [bytearray(64 * 1024 * 1024) for _ in range(5)]
      return sum(len(b) for b in blocks)`,
    sees: String(5 * 64 * 1024 * 1024),
    victim: victimOf(`
      data = bytearray(64 * 1024 * 1024)
      return [len(data), sum(data[::4096])]`),
  },
};

/** An outcome without its timing, which no two runs share. */
function timeless(outcome: CallOutcome): Record<string, unknown> {
  const { ms: _ms, ...rest } = outcome as CallOutcome & { ms?: number };
  return rest;
}

describe('Pyodide: no job changes what a later job sees', () => {
  let worker: PyodideWorker;
  before(async () => {
    worker = await PyodideWorker.start({ limits: { timeoutMs: 300 } });
  });
  after(() => worker.close());

  for (const [route, { attack, sees, victim }] of Object.entries(CONTAMINATIONS)) {
    it(`puts back ${route}`, async () => {
      const job = { code: victim.code, entry: 'v', calls: victim.calls ?? [{}] };
      const alone = await worker.runFunction(job);
      // The attack has time to take effect (a loaded machine must not turn it into a timeout); the
      // victims keep the short window.
      const [own] = await worker.runFunction({ code: pyFunction(attack), entry: 'f', calls: [{}], timeoutMs: 5000 });
      if (typeof sees === 'string') assert.deepEqual(own.verdict === 'return' && own.repr, sees, `the attack did not take effect in its own job: ${JSON.stringify(own)}`);
      else assert.match(JSON.stringify(own), sees);
      const afterwards = await worker.runFunction(job);
      assert.deepEqual(afterwards.map(timeless), alone.map(timeless));
      assert.deepEqual(worker.breaches, []);
    });
  }

  it('puts everything back after a job that ended the interpreter (os._exit, a wasm trap, a refused import)', async () => {
    const job = { code: 'import json\ndef v(x):\n    return json.dumps([x, len("ab")])\n', entry: 'v', calls: [{ args: ['1'] }] };
    const alone = await worker.runFunction(job);
    const enders = [
      'import builtins, os\nbuiltins.len = lambda x: 0\nos._exit(3)',
      'import builtins\nbuiltins.len = lambda x: 0\nx = []\nfor _ in range(200000):\n    x = [x]\nrepr(x)',
      'import builtins, importlib.machinery, importlib.util\nbuiltins.len = lambda x: 0\nopen("/tmp/x.so", "wb").write(b"\\0asm\\x01\\0\\0\\0")\nloader = importlib.machinery.ExtensionFileLoader("x", "/tmp/x.so")\nimportlib.util.module_from_spec(importlib.util.spec_from_file_location("x", "/tmp/x.so", loader=loader))',
    ];
    for (const body of enders) {
      const ended = await worker.runFunction({ code: pyFunction(body), entry: 'f', calls: [{}, {}] });
      assert.ok(ended.every((outcome) => outcome.verdict === 'crash'), `it did not end the interpreter: ${JSON.stringify(ended)}`);
      assert.deepEqual((await worker.runFunction(job)).map(timeless), alone.map(timeless), body);
    }
    assert.ok(worker.alive);
  });
});
