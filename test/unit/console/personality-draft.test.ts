// The personality editor's working copy: an update names only what changed, and the API's limits show before a save.
import { describe, expect, it } from 'vitest';
import { builtinPersonality } from '../../../functions/personalities/builtins.ts';
import {
  createBody,
  draftOf,
  EMPTY_DRAFT,
  hasChanges,
  problemsOf,
  updateBody,
} from '../../../console/src/pages/personalities/draft.ts';

const marcel = builtinPersonality('marcel')!;

describe('updateBody', () => {
  it('sends only the version when nothing changed', () => {
    const change = updateBody(draftOf(marcel), marcel);
    expect(change).toEqual({ version: 0 });
    expect(hasChanges(change)).toBe(false);
  });

  it('sends a changed trait alone, and a changed phrase bank whole', () => {
    const draft = draftOf(marcel);
    draft.traits = { ...draft.traits, formality: 'casual' };
    draft.closing_phrases = [...draft.closing_phrases, '  Enjoy the evening.  ', '   '];
    const change = updateBody(draft, marcel);
    expect(change.traits).toEqual({ formality: 'casual' });
    expect(change.response_style).toEqual({
      closing_phrases: [...(marcel.response_style.closing_phrases ?? []), 'Enjoy the evening.'],
    });
    expect(change).not.toHaveProperty('name');
    expect(hasChanges(change)).toBe(true);
  });
});

describe('createBody', () => {
  it('leaves out an empty emoji and prompt, and blank phrases', () => {
    const body = createBody({ ...EMPTY_DRAFT, name: ' Nova ', opening_phrases: ['Hi!', ' '] });
    expect(body.name).toBe('Nova');
    expect(body.emoji).toBeUndefined();
    expect(body.system_prompt).toBeUndefined();
    expect(body.response_style?.opening_phrases).toEqual(['Hi!']);
  });
});

describe('problemsOf', () => {
  it('flags what the API would refuse', () => {
    const problems = problemsOf({
      ...EMPTY_DRAFT,
      name: ' ',
      language: 'English',
      traits: { age: 12 },
      opening_phrases: ['x'.repeat(301)],
    });
    expect(Object.keys(problems).sort()).toEqual(['age', 'language', 'name', 'opening_phrases']);
    expect(problemsOf({ ...EMPTY_DRAFT, name: 'Nova' })).toEqual({});
  });
});
