// Pronunciation lexicons: one for the whole tenant and one per personality, versioned like personalities.
import { BadRequestError, ConflictError } from '../http/errors.ts';
import { isConditionFailure } from '../store/dynamodb.ts';
import { table } from '../store/table.ts';
import type { Pronunciation } from '../providers/tts/port.ts';
import { validateLexicon } from './pronunciations.ts';
import type { Lexicon, LexiconUpdate } from './schemas.ts';

/** The scope key of the tenant-wide lexicon; personality ids are lowercase slugs and cannot start with "_". */
export const TENANT_SCOPE = '_tenant';

const scopeName = (scope: string) => (scope === TENANT_SCOPE ? 'tenant' : scope);

export async function getLexicon(tenantId: string, scope: string): Promise<Lexicon> {
  const { data } = await table().lexicons.get({ tenant_id: tenantId, scope }).go({ consistent: true });
  if (!data) return { scope: scopeName(scope), entries: [], version: 0 };
  return {
    scope: scopeName(scope),
    entries: data.entries as Pronunciation[],
    version: data.version,
    updated_at: data.updated_at,
  };
}

/** Replaces a lexicon at the version read (0 for one never written); a stale version is refused. */
export async function putLexicon(tenantId: string, scope: string, update: LexiconUpdate): Promise<Lexicon> {
  const problems = validateLexicon(update.entries);
  if (problems.length) {
    const details = problems.map((problem) => ({
      field: `entries.${problem.index}.${problem.field}`,
      message: problem.message,
    }));
    throw new BadRequestError(
      'invalid_request',
      `Invalid pronunciations: ${details.map((d) => `${d.field}: ${d.message}`).join('; ')}`,
      details,
    );
  }
  const current = await getLexicon(tenantId, scope);
  const expected = update.version ?? current.version;
  if (expected !== current.version) {
    throw new ConflictError(
      'version_conflict',
      `The lexicon is at version ${current.version}, not ${expected}.`,
      {
        current_version: current.version,
      },
    );
  }
  const next = {
    tenant_id: tenantId,
    scope,
    entries: update.entries,
    version: current.version + 1,
    updated_at: new Date().toISOString(),
  };
  try {
    if (current.version === 0) await table().lexicons.create(next).go();
    else
      await table()
        .lexicons.put(next)
        .where(({ version }, { eq }) => eq(version, current.version))
        .go();
  } catch (error) {
    if (isConditionFailure(error)) {
      throw new ConflictError(
        'version_conflict',
        'The lexicon changed while you were saving it; read it again.',
      );
    }
    throw error;
  }
  return {
    scope: scopeName(scope),
    entries: update.entries,
    version: next.version,
    updated_at: next.updated_at,
  };
}

/** The entries a personality speaks with: its own, then the tenant's for words it does not say its own way. */
export function mergedLexicon(tenantWide: Pronunciation[], own: Pronunciation[]): Pronunciation[] {
  const overridden = new Set(own.map((entry) => entry.grapheme.toLowerCase()));
  return [...own, ...tenantWide.filter((entry) => !overridden.has(entry.grapheme.toLowerCase()))];
}
