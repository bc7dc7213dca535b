// Waits for work that runs side by side to end, all of it, before answering: a failure of one never leaves the
// others running on unobserved (in Lambda they would be frozen mid-write, or fail unhandled).

/** Every value in order once all have settled, or the first failure in order once all have settled. */
export async function allSettled<T extends readonly unknown[]>(
  work: readonly [...{ [K in keyof T]: Promise<T[K]> }],
): Promise<T> {
  const results = await Promise.allSettled(work);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
