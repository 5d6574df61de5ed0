// The native backend's second jail: where bubblewrap cannot run, `unshare` gives the namespaces
// (user, pid, net, ipc, uts) without a private file system. CASE2CODE_JAIL=unshare takes that path
// on a machine that has bwrap, so it is tested everywhere; the checks are made on the host.
process.env.CASE2CODE_JAIL = 'unshare'; // before any sandbox probes the jail (once per process)

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { EVAL_TOOLS } from '../../src/eval/run-eval.js';
import { Sandbox } from '../../src/sandbox/sandbox.js';
import { REPO, TAG, startListeners, startVictim } from './hostile-helpers.js';

describe('native backend in the unshare jail', () => {
  let sandbox: Sandbox;
  before(async () => {
    // With tools whose folder must be importable: the server's environment (PYTHONPATH) reaches it.
    sandbox = await Sandbox.start({ backend: 'native', workers: 1, tools: EVAL_TOOLS });
  });
  after(() => sandbox?.close());

  it('says which layers it has and which it lacks', () => {
    const layer = (name: string) => sandbox.info.layers.find((entry) => entry.name === name);
    assert.equal(layer('pid-namespace')?.active, true);
    assert.equal(layer('network-namespace')?.active, true);
    assert.equal(layer('minimal-filesystem')?.active, false);
    assert.match(layer('minimal-filesystem')!.detail, /unshare/);
  });

  it('runs functions and the tools', async () => {
    const outcomes = await sandbox.runFunction({ code: 'def f(x):\n    return x * 2\n', entry: 'f', calls: [{ args: ['21'] }] });
    assert.deepEqual(outcomes.map((outcome) => 'repr' in outcome && outcome.repr), ['42']);
    const examples = await sandbox.runTool<{ count: number }>('case2code_examples', { example_str: 'examples = [{"x": 1}]' });
    assert.equal(examples.ok && examples.value.count, 1, JSON.stringify(examples));
  });

  it('cannot signal a host process, reach a loopback listener or write into the repository', async () => {
    const victim = await startVictim('sleep');
    const listeners = await startListeners();
    const marker = path.join(REPO, `.c2c-unshare-${TAG}-marker`);
    try {
      const code = `import ctypes, os, socket
def attack(pid, port, marker):
    tried = []
    for step in (lambda: os.kill(pid, 9), lambda: ctypes.CDLL(None).kill(pid, 9),
                 lambda: socket.create_connection(('127.0.0.1', port), timeout=1),
                 lambda: open(marker, 'w').write('x')):
        try:
            step()
            tried.append('done')
        except BaseException as exc:
            tried.append(type(exc).__name__)
    return tried
`;
      await sandbox.runFunction({ code, entry: 'attack', calls: [{ args: [String(victim.pid), String(listeners.tcpPort), JSON.stringify(marker)] }] });
      assert.equal(victim.alive(), true, 'the victim process was killed');
      assert.equal(listeners.reached().tcp, 0, 'the loopback listener saw a connection');
      assert.equal(fs.existsSync(marker), false, 'a file appeared in the repository');
    } finally {
      victim.stop();
      await listeners.close();
      fs.rmSync(marker, { force: true });
    }
  });
});
