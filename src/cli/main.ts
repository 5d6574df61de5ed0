#!/usr/bin/env node
// The case2code command line. Thin by design: each command parses its flags and hands them to the
// library (the same API a program would use).
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { registerDoctor } from './commands/doctor.js';
import { registerExec } from './commands/exec.js';
import { registerExtract } from './commands/extract.js';
import { registerInputs } from './commands/inputs.js';
import { registerEval } from './commands/eval.js';
import { registerVerify } from './commands/verify.js';
import { registerRun } from './commands/run.js';
import { registerStatus } from './commands/status.js';
import { registerWorker } from './commands/worker.js';

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));

const program = new Command()
  .name('case2code')
  .description('Execution-verified Case2Code data for code LLMs: collect functions, write inputs, run them in a sandbox, build samples, evaluate models.')
  .version(pkg.version);

// In pipeline order: the one-command job first, then each stage, then the checks.
registerRun(program);
registerStatus(program);
registerWorker(program);
registerExtract(program);
registerInputs(program);
registerExec(program);
registerEval(program);
(await import('./commands/serve.js')).registerServe(program);
registerVerify(program);
registerDoctor(program);

program.parseAsync(process.argv).catch((error) => {
  process.stderr.write(`case2code: ${error?.message ?? error}\n`);
  process.exit(1);
});
