// Progress as events the library sends to a sink the caller injects: the CLI draws them on stderr,
// a program may log or ignore them. Library code never writes to a terminal itself.
import type { StageStats } from './stats.js';

export type ProgressEvent =
  /** A stage kept or rejected one more item (`stats` is its running total in this process). */
  | { type: 'item'; stage: string; stats: StageStats }
  /** A stage finished one shard of a run (or found it done on resume: `skipped`). */
  | { type: 'shard'; stage: string; shard: number; stats: StageStats; skipped: boolean };

export type ProgressSink = (event: ProgressEvent) => void;
