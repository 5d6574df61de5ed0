// The bounded queue in front of the sandbox. It counts answers, not requests (a batch of 100 is 100
// answers), from admission until each is scored. Past the limit a request is refused at once with
// 429 and a Retry-After that estimates when room frees up, from the recent scoring rate; the
// sandbox's own queue behind it therefore never holds more than the limit.
import { QueueFullError } from './errors.js';

/** The rate estimate forgets with this half-life (in answers done). */
const RATE_HALF_LIFE = 200;

export class Admission {
  private inSystem = 0;
  private meanGapMs = 0; // time between two answers done, smoothed
  private lastDone = performance.now();

  constructor(readonly limit: number) {}

  get depth(): number {
    return this.inSystem;
  }

  /** Admits `n` answers or throws QueueFullError. */
  admit(n: number): void {
    if (this.inSystem + n > this.limit) {
      const ms = this.waitEstimateMs(this.inSystem + n - this.limit);
      throw new QueueFullError(Math.max(1, Math.ceil(ms / 1000)), Math.max(1, Math.round(ms)), this.inSystem, this.limit);
    }
    // Time between answers counts only while busy: an idle spell is not a slow server.
    if (this.inSystem === 0) this.lastDone = performance.now();
    this.inSystem += n;
  }

  /** One admitted answer is done (scored, or given up on). */
  done(): void {
    this.inSystem = Math.max(0, this.inSystem - 1);
    const now = performance.now();
    const gap = now - this.lastDone;
    this.lastDone = now;
    const alpha = 1 - Math.pow(0.5, 1 / RATE_HALF_LIFE);
    this.meanGapMs = this.meanGapMs === 0 ? gap : this.meanGapMs * (1 - alpha) + gap * alpha;
  }

  /** How long until `excess` answers have left, at the recent rate (a hint, never a promise). */
  private waitEstimateMs(excess: number): number {
    if (this.meanGapMs <= 0) return 1000;
    return Math.min(30_000, excess * this.meanGapMs);
  }
}
