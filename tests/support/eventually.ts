/** Polls `read` until `accept` holds or the deadline passes; returns the last value read either way. */
export async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!accept(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}

/** Retries `check` (assertions that throw) until it passes or the deadline passes, then throws its last failure. */
export async function untilPasses(check: () => Promise<void>, timeoutMs = 5_000, intervalMs = 100): Promise<void> {
  const attempt = () =>
    check().then(
      () => undefined,
      (error: unknown) => ({ error }),
    );
  const failure = await eventually(attempt, (outcome) => outcome === undefined, timeoutMs, intervalMs);
  if (failure) throw failure.error;
}
