import type { Command } from 'commander';
import { Sandbox } from '../../sandbox/sandbox.js';
import { addSandboxFlags, sandboxOptionsFrom } from '../sandbox-options.js';

export function registerDoctor(program: Command): void {
  addSandboxFlags(
    program.command('doctor').description('start the sandbox and show the backend, the Python version and each isolation layer'),
  ).action(async (flags) => {
    const started = performance.now();
    const sandbox = await Sandbox.start({ ...sandboxOptionsFrom(flags), workers: flags.workers ?? 1 });
    try {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const probe = await sandbox.runFunction({ code: 'def probe(x):\n    return x + 1\n', entry: 'probe', calls: [{ args: ['41'] }] });
      const { info } = sandbox;
      const { limits } = info;
      const lines = [
        `case2code sandbox`,
        `  backend   ${info.backend}`,
        `  python    ${info.python}${info.pyodide ? ` (pyodide ${info.pyodide})` : ''}`,
        `  node      ${process.version}`,
        `  start-up  ${seconds}s`,
        `  probe     probe(41) -> ${probe[0].verdict === 'return' ? probe[0].repr : JSON.stringify(probe[0])}`,
        `  limits    ${limits.timeoutMs} ms CPU per call, ${limits.memoryMb} MB memory, repr ${limits.reprCap} chars, hash seed ${info.hashSeed}`,
        `isolation layers:`,
        ...info.layers.map((layer) => `  [${layer.active ? 'x' : ' '}] ${layer.name.padEnd(26)} ${layer.detail}`),
      ];
      if (info.caveats.length) lines.push('not guaranteed here:', ...info.caveats.map((caveat) => `  - ${caveat}`));
      process.stdout.write(lines.join('\n') + '\n');
    } finally {
      await sandbox.close();
    }
  });
}
