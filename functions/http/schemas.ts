// Schemas shared by every route: the error envelope and the public endpoints' answers.
import * as z from 'zod';

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('Stable, machine-readable reason, e.g. invalid_request, version_conflict'),
      message: z.string().describe('What went wrong, in words a person can act on'),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });

export const Health = z.object({
  status: z.literal('ok'),
  version: z.string(),
  time: z.string(),
});
