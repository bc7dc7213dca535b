// A provider call abandoned because the caller already gave up must not fail later as an unhandled rejection, which
// stops the Lambda runtime; found by the fault-injection suite (Google calls started after a sibling sentence failed).
import { afterEach, describe, expect, it } from 'vitest';
import { abortable } from '../../../functions/providers/tts/adapter-support.ts';

const unhandled: unknown[] = [];
const noteUnhandled = (reason: unknown) => unhandled.push(reason);

afterEach(() => {
  process.off('unhandledRejection', noteUnhandled);
  unhandled.length = 0;
});

const failingLater = (ms: number) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error('429 from the provider')), ms));

describe('abortable', () => {
  it('rejects with the caller’s reason at once when already aborted, and swallows the call’s late failure', async () => {
    process.on('unhandledRejection', noteUnhandled);
    const controller = new AbortController();
    const reason = new Error('a sibling sentence failed');
    controller.abort(reason);

    await expect(abortable(failingLater(5), controller.signal)).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(unhandled).toEqual([]);
  });

  it('rejects with the reason when aborted during the call, and swallows the call’s late failure', async () => {
    process.on('unhandledRejection', noteUnhandled);
    const controller = new AbortController();
    const reason = new Error('the caller timed out');

    const pending = abortable(failingLater(10), controller.signal);
    controller.abort(reason);

    await expect(pending).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(unhandled).toEqual([]);
  });

  it('settles as the call does when nothing aborts', async () => {
    const controller = new AbortController();

    await expect(abortable(Promise.resolve('audio'), controller.signal)).resolves.toBe('audio');
    await expect(abortable(failingLater(1), controller.signal)).rejects.toThrow('429 from the provider');
  });
});
