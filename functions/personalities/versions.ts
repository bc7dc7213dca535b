// Optimistic-locking versions as HTTP carries them: an ETag out, an If-Match header or a body field in.
import { BadRequestError, PreconditionRequiredError } from '../http/errors.ts';

export const versionTag = (version: number) => `"${version}"`;

function parseIfMatch(header: string): number {
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw new BadRequestError(
      'invalid_request',
      `If-Match must be a version such as "3", not ${JSON.stringify(header)}.`,
    );
  }
  return Number(match[1]);
}

export function expectedVersion(
  ifMatch: string | undefined,
  bodyVersion: number | undefined,
  { required }: { required: true },
): number;
export function expectedVersion(
  ifMatch: string | undefined,
  bodyVersion: number | undefined,
  { required }: { required: false },
): number | undefined;
export function expectedVersion(
  ifMatch: string | undefined,
  bodyVersion: number | undefined,
  { required }: { required: boolean },
): number | undefined {
  const headerVersion = ifMatch === undefined ? undefined : parseIfMatch(ifMatch);
  if (headerVersion !== undefined && bodyVersion !== undefined && headerVersion !== bodyVersion) {
    throw new BadRequestError(
      'invalid_request',
      `If-Match names version ${headerVersion} but the body names ${bodyVersion}; send one.`,
    );
  }
  const version = headerVersion ?? bodyVersion;
  if (version === undefined && required) {
    throw new PreconditionRequiredError(
      'Name the version you read, as an If-Match header or a "version" field, so a concurrent change is not overwritten.',
    );
  }
  return version;
}
