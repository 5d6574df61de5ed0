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
  /** The dead part of the C stack, [low, high): zero in the image, so it is cleared, not copied. */
  private readonly deadStack: [number, number];
  /** The allocator's heap top in the image: above it, the image is all zeros. */
  private readonly heapTop: number;

  /** Take the image now: call it only when no Python code is running. */
  constructor(private readonly module: EmscriptenModule, private readonly files: FileSystemImage) {
    files.freeze();
    const heap = new Uint8Array(module.memory.buffer);
    this.stackPointer = module.___stack_pointer.value;
    this.heapTop = this.readHeapTop();
    // Layout: static data, then the stack (growing down from its base to its end), then the heap.
    const stackEnd = module._emscripten_stack_get_end() as number;
    const sane = stackEnd < this.stackPointer && this.stackPointer <= this.heapTop && this.heapTop <= heap.length;
    this.deadStack = sane ? [stackEnd, this.stackPointer] : [0, 0];
    heap.fill(0, this.deadStack[0], this.deadStack[1]); // below the stack pointer: dead, whatever it holds
    heap.fill(0, this.heapTop); // above the heap top nothing was ever written; make sure
    this.bytes = heap.slice(0, this.heapTop);
  }

  /** The memory a job starts with: the base of its heap cap. */
  get size(): number {
    return this.module.memory.buffer.byteLength;
  }

  /** Put the interpreter back as it was when the image was taken. */
  restore(): void {
    const heap = new Uint8Array(this.module.memory.buffer);
    // The allocator's heap top only grows (it never trims), so the job wrote nothing above it.
    const top = Math.min(this.readHeapTop(), heap.length);
    const [low, high] = this.deadStack;
    heap.set(this.bytes.subarray(0, low));
    heap.fill(0, low, high);
    heap.set(this.bytes.subarray(high), high);
    if (top > this.heapTop) heap.fill(0, this.heapTop, top);
    this.module.___stack_pointer.value = this.stackPointer;
    this.files.restore();
  }

  private readHeapTop(): number {
    return new Uint32Array(this.module.memory.buffer)[this.module._emscripten_get_sbrk_ptr() >>> 2];
  }
}
