// Pyodide ships its Emscripten module factory without types; we only pass it through.
declare module 'pyodide/pyodide.asm.mjs' {
  const createPyodideModule: (settings: unknown) => Promise<unknown>;
  export default createPyodideModule;
}
