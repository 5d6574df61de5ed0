// `npm run bench [-- name...]`: runs every benchmark (or the named ones) and prints its figures.
// Speed goals live here, not in tests. Each module exports `run(): Promise<void>`.
const BENCHES: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  sandbox: () => import('./sandbox.js'),
  inputs: () => import('./inputs.js'),
  extract: () => import('./extract.js'),
  packages: () => import('./packages.js'),
  'exec-stream': () => import('./exec-stream.js'),
  eval: () => import('./eval.js'),
  pipeline: () => import('./pipeline.js'),
  serve: () => import('./serve.js'),
  'data-quality': () => import('./data-quality.js'),
  distributed: () => import('./distributed.js'),
};

const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(BENCHES);
for (const name of names) {
  const load = BENCHES[name];
  if (!load) {
    console.error(`unknown bench "${name}"; known: ${Object.keys(BENCHES).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== bench: ${name} ===`);
  await (await load()).run();
}
