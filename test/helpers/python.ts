// Small helpers for tests that run Python in the sandbox.

/** Wrap a function body (dedented Python) as `def name(): ...`. */
export function pyFunction(body: string, name = 'f', params = ''): string {
  const lines = body.replace(/^\n+/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return `def ${name}(${params}):\n` + lines.map((l) => '    ' + l.slice(indent)).join('\n') + '\n';
}
