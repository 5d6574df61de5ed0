// A "fork" for wasm: the interpreter's whole state is its linear memory, its stack pointer and the
// JS side of its file system, so copying those when the worker is idle and writing them back after
// every job gives each job an interpreter exactly as it was at start-up, as a fork server does
// for native CPython. Nothing a job changes (builtins, classes of the standard library, caches,
// registrations, the harness itself) can reach the next one.
//
// Copying back ~30 MB costs about a millisecond. It is sound only while nothing else enters the
// wasm module between jobs: the worker drives Python through one C entry point, the JS bridge is
// closed (wasm-gate.ts), no timers are allowed, and finalizers are disabled before Pyodide loads.
import { FileSystemImage } from './scratch.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- Emscripten's module is untyped */
type EmscriptenModule = any;

export class InterpreterImage {
  private readonly bytes: Uint8Array;
  private readonly stackPointer: number;

  /** Take the image now: call it only when no Python code is running. */
  constructor(private readonly module: EmscriptenModule, private readonly files: FileSystemImage) {
    files.freeze();
    this.bytes = new Uint8Array(module.memory.buffer).slice();
    this.stackPointer = module.___stack_pointer.value;
  }

  /** The size of the image: the heap a job starts with. */
  get size(): number {
    return this.bytes.length;
  }

  /** Put the interpreter back as it was when the image was taken. */
  restore(): void {
    const heap = new Uint8Array(this.module.memory.buffer);
    // The allocator's heap top only grows (it never trims): the job wrote nothing above it.
    const top = new Uint32Array(heap.buffer)[this.module._emscripten_get_sbrk_ptr() >>> 2];
    heap.set(this.bytes);
    // Memory a job grew stays (wasm memory never shrinks) but must look as fresh memory does.
    if (top > this.bytes.length) heap.fill(0, this.bytes.length, Math.min(top, heap.length));
    this.module.___stack_pointer.value = this.stackPointer;
    this.files.restore();
  }
}
