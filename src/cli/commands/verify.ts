import type { Command } from 'commander';
import { verifyDataset } from '../../pipeline/verify.js';
import { Sandbox } from '../../sandbox/sandbox.js';
import { Progress } from '../progress.js';
import { addSandboxFlags, sandboxOptionsFrom } from '../sandbox-options.js';

export function registerVerify(program: Command): void {
  addSandboxFlags(
    program
      .command('verify')
      .description("re-execute every sample's reference code on its shown and held-out inputs; check the outputs and texts match the dataset")
      .argument('<dir>', 'a run directory (case2code-out) or its data directory'),
  ).action(async (dir: string, flags: Record<string, any>) => {
    const sandbox = await Sandbox.start(sandboxOptionsFrom(flags));
    const progress = new Progress('verify', undefined, 'items');
    try {
      const result = await verifyDataset(sandbox, dir, { onItem: () => progress.tick() });
      progress.finish();
      for (const p of result.problems.slice(0, 50)) process.stderr.write(`${p.file}:${p.line}: ${p.id ? `${p.id}: ` : ''}${p.problem}\n`);
      if (result.problems.length > 50) process.stderr.write(`... and ${result.problems.length - 50} more\n`);
      process.stdout.write(`verify: ${result.items} items, ${result.calls} calls re-executed, ${result.textSamples} text samples checked, ${result.predictions} prediction rows re-executed, ${result.problems.length} problems\n`);
      if (result.problems.length > 0) process.exitCode = 1;
    } finally {
      await sandbox.close();
    }
  });
}
