// Metrics in the Prometheus text format (version 0.0.4), with no dependency: counters and
// histograms keyed by their labels, and gauges read when scraped. Latency is measured on the
// wall clock for monitoring only; it never decides a score.

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

abstract class Metric {
  constructor(readonly name: string, readonly help: string, readonly type: 'counter' | 'gauge' | 'histogram') {}
  abstract lines(): string[];
  render(): string {
    return [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} ${this.type}`, ...this.lines()].join('\n');
  }
}

export class Counter extends Metric {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(name: string, help: string) {
    super(name, help, 'counter');
  }
  inc(labels: Labels = {}, by = 1): void {
    const key = labelText(labels);
    const entry = this.values.get(key) ?? { labels, value: 0 };
    entry.value += by;
    this.values.set(key, entry);
  }
  lines(): string[] {
    return [...this.values.entries()].map(([key, { value }]) => `${this.name}${key} ${value}`);
  }
}

/** A value read when scraped: a gauge, or a counter kept elsewhere (the sandbox's). */
export class Reading extends Metric {
  constructor(name: string, help: string, private readonly read: () => number, type: 'gauge' | 'counter' = 'gauge') {
    super(name, help, type);
  }
  lines(): string[] {
    return [`${this.name} ${this.read()}`];
  }
}

export class Histogram extends Metric {
  private readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(name: string, help: string, private readonly buckets: number[]) {
    super(name, help, 'histogram');
  }
  observe(value: number, labels: Labels = {}): void {
    const key = labelText(labels);
    const entry = this.series.get(key) ?? { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 };
    this.buckets.forEach((bound, i) => {
      if (value <= bound) entry.counts[i]++;
    });
    entry.sum += value;
    entry.count++;
    this.series.set(key, entry);
  }
  lines(): string[] {
    const out: string[] = [];
    for (const { labels, counts, sum, count } of this.series.values()) {
      this.buckets.forEach((bound, i) => out.push(`${this.name}_bucket${labelText({ ...labels, le: String(bound) })} ${counts[i]}`));
      out.push(`${this.name}_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`);
      out.push(`${this.name}_sum${labelText(labels)} ${sum}`);
      out.push(`${this.name}_count${labelText(labels)} ${count}`);
    }
    return out;
  }
}

export class Registry {
  private readonly metrics: Metric[] = [];
  add<M extends Metric>(metric: M): M {
    this.metrics.push(metric);
    return metric;
  }
  render(): string {
    return this.metrics.map((m) => m.render()).join('\n') + '\n';
  }
}

/** The server's metrics. Gauges read the live state they are given. */
export function serveMetrics(state: { queueDepth: () => number; queueLimit: number; workers: number; inFlightRequests: () => number; sandbox: () => { jobs: number; replaced: number; hardKills: number; protocolViolations: number } }) {
  const registry = new Registry();
  const metrics = {
    registry,
    requests: registry.add(new Counter('case2code_http_requests_total', 'HTTP requests answered, by route and status code')),
    latency: registry.add(new Histogram('case2code_http_request_duration_seconds', 'Time from a request arriving to its answer being sent, by route', [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60])),
    answers: registry.add(new Counter('case2code_answers_total', 'Answers scored, by result: passed, or the reason they failed')),
    runCode: registry.add(new Counter('case2code_run_code_total', 'POST /run_code runs, by status')),
  };
  registry.add(new Reading('case2code_queue_depth', 'Answers admitted and not yet scored (running or waiting for a worker)', state.queueDepth));
  registry.add(new Reading('case2code_queue_limit', 'Most answers admitted at once; past it requests get 429', () => state.queueLimit));
  registry.add(new Reading('case2code_requests_in_flight', 'HTTP requests being handled', state.inFlightRequests));
  registry.add(new Reading('case2code_sandbox_workers', 'Sandbox worker processes', () => state.workers));
  registry.add(new Reading('case2code_sandbox_jobs_total', 'Jobs the sandbox has run', () => state.sandbox().jobs, 'counter'));
  registry.add(new Reading('case2code_sandbox_workers_replaced_total', 'Workers replaced after dying or breaking the protocol', () => state.sandbox().replaced, 'counter'));
  registry.add(new Reading('case2code_sandbox_hard_kills_total', 'Workers killed by the host backstop', () => state.sandbox().hardKills, 'counter'));
  registry.add(new Reading('case2code_sandbox_protocol_violations_total', 'Jobs given a crash verdict because a worker broke the protocol', () => state.sandbox().protocolViolations, 'counter'));
  return metrics;
}

export type ServeMetrics = ReturnType<typeof serveMetrics>;
