// The interpreter's in-memory file system, as a job sees it: everything that exists at start-up
// (the standard library, case2code's packages, /dev) is read-only and cannot be made writable
// again; /tmp (also the cwd) is a fresh, capped scratch file system for each job. After a job the
// worker puts back the descriptor table, the cwd and the inode counter, and mounts a new /tmp.
// A file planted where sys.path looks, or left for the next job, is therefore impossible.

/** Emscripten's errno numbers (not Linux's). */
const ERRNO = { EPERM: 63, EFBIG: 22, ENOSPC: 51 } as const;

export interface ScratchCaps {
  /** All bytes the job may write to /tmp. */
  bytes: number;
  /** The largest one file may be. */
  fileBytes: number;
  /** Files, directories and links the job may create. */
  nodes: number;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- Emscripten's FS is untyped */
type EmscriptenFS = any;

export const SCRATCH = '/tmp';
const SCRATCH_MODE = 0o40777; // what MEMFS gives a new root

export class FileSystemImage {
  private used = { bytes: 0, nodes: 0 };
  private baseline?: { streams: unknown[]; states: Map<number, { own: Record<string, unknown>; shared: Record<string, unknown> }>; cwd: string; nextInode: number };
  private readonly scratchType: unknown;

  constructor(private readonly FS: EmscriptenFS, private readonly caps: ScratchCaps) {
    const MEMFS = FS.filesystems.MEMFS;
    this.capWrites(MEMFS);
    this.scratchType = { ...MEMFS, mount: (mount: unknown) => MEMFS.mount(mount) };
  }

  /** Mount the first scratch /tmp and make it the cwd. */
  prepare(): void {
    this.FS.mount(this.scratchType, {}, SCRATCH);
    this.FS.chdir(SCRATCH);
  }

  /** Make every node outside /tmp read-only for good and remember the state jobs start from. */
  freeze(): void {
    const FS = this.FS;
    const refuse = () => {
      throw new FS.ErrnoError(ERRNO.EPERM);
    };
    const seen = new Set<unknown>();
    const walk = (node: any) => {
      if (seen.has(node)) return;
      seen.add(node);
      if (node.mounted) {
        if (node.mounted.type === this.scratchType) {
          freezeNode(node); // the directory under the mount
          return;
        }
        walk(node.mounted.root);
      }
      freezeNode(node);
      if (FS.isDir(node.mode) && node.contents && typeof node.contents === 'object') {
        for (const child of Object.values(node.contents)) walk(child);
      }
    };
    // chmod, utime, truncate and chown all go through setattr: refused, so a read-only mode stays.
    const freezeNode = (node: any) => {
      if (FS.isDir(node.mode) || FS.isFile(node.mode)) node.mode &= ~0o222;
      node.node_ops = { ...node.node_ops, setattr: refuse };
    };
    walk(FS.root);
    const states = new Map<number, { own: Record<string, unknown>; shared: Record<string, unknown> }>();
    FS.streams.forEach((stream: any, fd: number) => {
      if (stream) states.set(fd, { own: { ...stream }, shared: { ...stream.shared } });
    });
    this.baseline = { streams: [...FS.streams], states, cwd: FS.currentPath, nextInode: FS.nextInode };
    this.used = { bytes: 0, nodes: 0 };
  }

  /** Put the file system back as freeze() left it. */
  restore(): void {
    const FS = this.FS;
    const baseline = this.baseline!;
    FS.streams.length = 0;
    baseline.streams.forEach((stream: any, fd) => {
      if (!stream) return;
      FS.streams[fd] = stream;
      const state = baseline.states.get(fd)!;
      for (const key of Object.keys(stream)) if (!(key in state.own)) delete stream[key];
      Object.assign(stream, state.own);
      for (const key of Object.keys(stream.shared)) if (!(key in state.shared)) delete stream.shared[key];
      Object.assign(stream.shared, state.shared);
    });
    // A scratch root that holds nothing and kept its mode is as good as new (most jobs write
    // nothing): remounting walks the whole name table.
    const root = FS.lookupPath(SCRATCH).node;
    if (Object.keys(root.contents).length > 0 || root.mode !== SCRATCH_MODE || this.used.nodes > 0) {
      FS.unmount(SCRATCH);
      this.FS.mount(this.scratchType, {}, SCRATCH);
    }
    FS.currentPath = baseline.cwd;
    FS.nextInode = baseline.nextInode;
    this.used = { bytes: 0, nodes: 0 };
  }

  /** The scratch caps, applied to MEMFS writes (only /tmp is writable, so they count only there). */
  private capWrites(MEMFS: any): void {
    const FS = this.FS;
    const grow = (node: any, end: number) => {
      if (end > this.caps.fileBytes) throw new FS.ErrnoError(ERRNO.EFBIG);
      const growth = Math.max(0, end - (node.usedBytes ?? 0));
      if (this.used.bytes + growth > this.caps.bytes) throw new FS.ErrnoError(ERRNO.ENOSPC);
      this.used.bytes += growth;
    };
    const table = MEMFS.ops_table;
    const write = MEMFS.stream_ops.write;
    const cappedWrite = (stream: any, buffer: unknown, offset: number, length: number, position: number, canOwn: boolean) => {
      grow(stream.node, position + length);
      return write(stream, buffer, offset, length, position, canOwn);
    };
    MEMFS.stream_ops.write = cappedWrite;
    table.file.stream.write = cappedWrite;
    const setattr = table.file.node.setattr;
    table.file.node.setattr = (node: any, attr: { size?: number }) => {
      if (attr.size !== undefined) grow(node, attr.size);
      return setattr(node, attr);
    };
    for (const op of ['mknod', 'symlink']) {
      const original = table.dir.node[op];
      table.dir.node[op] = (...args: unknown[]) => {
        if (++this.used.nodes > this.caps.nodes) throw new FS.ErrnoError(ERRNO.ENOSPC);
        return original(...args);
      };
    }
  }
}
