// Versions in and out of HTTP: ETags, If-Match and the body's "version".
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../functions/http/errors.ts';
import { expectedVersion, versionTag } from '../../../functions/personalities/versions.ts';

function statusOf(run: () => unknown): number | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.status : -1;
  }
}

describe('expectedVersion', () => {
  it('reads quoted, bare and weak If-Match values', () => {
    expect(expectedVersion('"3"', undefined, { required: true })).toBe(3);
    expect(expectedVersion('4', undefined, { required: true })).toBe(4);
    expect(expectedVersion('W/"5"', undefined, { required: true })).toBe(5);
  });

  it('takes the body version when no header is sent', () => {
    expect(expectedVersion(undefined, 2, { required: true })).toBe(2);
    expect(expectedVersion(undefined, undefined, { required: false })).toBeUndefined();
  });

  it('answers 428 when a version is required and missing, 400 for garbage or disagreement', () => {
    expect(statusOf(() => expectedVersion(undefined, undefined, { required: true }))).toBe(428);
    expect(statusOf(() => expectedVersion('*', undefined, { required: true }))).toBe(400);
    expect(statusOf(() => expectedVersion('"2"', 3, { required: true }))).toBe(400);
    expect(statusOf(() => expectedVersion('"3"', 3, { required: true }))).toBeUndefined();
  });

  it('writes ETags as quoted versions', () => {
    expect(versionTag(7)).toBe('"7"');
  });
});
