// Run an async function over a stream with bounded concurrency, yielding results in input order.
// The window bounds memory: at most `concurrency` items are in flight or waiting to be yielded.
// Results depend only on the input, never on which call finished first.
import type { StageItem } from '../contract/index.js';

export async function* mapOrdered<T, R>(
  input: AsyncIterable<T> | Iterable<T>,
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
): AsyncIterable<R> {
  const window: Promise<R>[] = [];
  let index = 0;
  for await (const item of input as AsyncIterable<T>) {
    const pending = fn(item, index++);
    pending.catch(() => {}); // surfaced when its turn comes
    window.push(pending);
    if (window.length >= concurrency) yield await window.shift()!;
  }
  while (window.length > 0) yield await window.shift()!;
}

/**
 * The body of most stages: `each` on every kept record, up to `concurrency` at once, what each
 * becomes yielded in input order; rejects that come in pass through in their place.
 */
export async function* mapKept<In, Out>(
  items: AsyncIterable<StageItem<In>>,
  concurrency: number,
  each: (record: In) => Promise<StageItem<Out> | StageItem<Out>[]>,
): AsyncIterable<StageItem<Out>> {
  const results = mapOrdered(items, concurrency, async (item): Promise<StageItem<Out> | StageItem<Out>[]> =>
    item.kind === 'reject' ? item : each(item.record),
  );
  for await (const result of results) {
    if (Array.isArray(result)) yield* result;
    else yield result;
  }
}
