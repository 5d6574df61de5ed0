// Run an async function over a stream with bounded concurrency, yielding results in input order.
// The window bounds memory: at most `concurrency` items are in flight or waiting to be yielded.
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
