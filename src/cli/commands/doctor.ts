import type { Command } from 'commander';
import { Sandbox } from '../../sandbox/sandbox.js';
import { addSandboxFlags, sandboxOptionsFrom } from '../sandbox-options.js';

export function registerDoctor(program: Command): void {
  addSandboxFlags(
    program.command('doctor').description('start the sandbox and show versions and the isolation layers in force'),
  ).action(async (flags) => {
    const started = performance.now();
    const sandbox = await Sandbox.start({ ...sandboxOptionsFrom(flags), workers: flags.workers ?? 1, warmSpare: false });
    try {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const probe = await sandbox.runFunction({ code: 'def probe(x):\n    return x + 1\n', entry: 'probe', calls: [{ args: ['41'] }] });
      const { info } = sandbox;
      const lines = [
        `case2code sandbox`,
        `  node      ${process.version}`,
        `  pyodide   ${info.pyodide}`,
        `  python    ${info.python}`,
        `  start-up  ${seconds}s`,
        `  probe     probe(41) -> ${probe[0].verdict === 'return' ? probe[0].repr : JSON.stringify(probe[0])}`,
        `  limits    timeout ${info.options.timeoutMs} ms, heap ${info.options.memoryMb} MB, repr ${info.options.reprCap} chars, hash seed ${info.options.hashSeed}`,
        `isolation layers:`,
        ...info.layers.map((layer) => `  [${layer.active ? 'x' : ' '}] ${layer.name.padEnd(22)} ${layer.detail}`),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    } finally {
      await sandbox.close();
    }
  });
}
