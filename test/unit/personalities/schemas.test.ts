// The personality schemas: strict, enumerated, bounded, with the defaults a new personality gets.
import { describe, expect, it } from 'vitest';
import {
  PersonalityCreate,
  PersonalityId,
  PersonalityUpdate,
  Traits,
  VoiceConfigInput,
} from '../../../functions/personalities/schemas.ts';

const enumTraits = [
  'gender',
  'communication_style',
  'knowledge_level',
  'humor_style',
  'response_length',
  'sales_approach',
  'formality',
] as const;
const levelTraits = ['humor_level', 'empathy_level', 'jargon_level'] as const;

describe('Traits', () => {
  for (const trait of enumTraits) {
    it(`accepts every ${trait} of its enumeration and refuses anything else, naming the field`, () => {
      const shape = Traits.shape[trait].unwrap();

      for (const value of shape.options)
        expect(Traits.safeParse({ [trait]: value }).success, value).toBe(true);
      const refused = Traits.safeParse({ [trait]: 'something-else' });
      expect(refused.success).toBe(false);
      expect(refused.error?.issues[0]?.path).toEqual([trait]);
    });
  }

  for (const trait of levelTraits) {
    it(`bounds ${trait} to whole numbers 0–10`, () => {
      expect(Traits.safeParse({ [trait]: 0 }).success).toBe(true);
      expect(Traits.safeParse({ [trait]: 10 }).success).toBe(true);
      expect(Traits.safeParse({ [trait]: -1 }).success).toBe(false);
      expect(Traits.safeParse({ [trait]: 11 }).success).toBe(false);
      expect(Traits.safeParse({ [trait]: 4.5 }).success).toBe(false);
    });
  }

  it('bounds age to adults', () => {
    expect(Traits.safeParse({ age: 17 }).success).toBe(false);
    expect(Traits.safeParse({ age: 21 }).success).toBe(true);
  });

  it('refuses an unknown trait', () => {
    expect(Traits.safeParse({ charisma: 9 }).success).toBe(false);
  });
});

describe('PersonalityCreate', () => {
  it('fills the defaults of a new personality', () => {
    const parsed = PersonalityCreate.parse({ name: '  Nova  ' });

    expect(parsed).toEqual({
      name: 'Nova',
      traits: {},
      response_style: {},
      language: 'en-US',
      is_active: true,
    });
  });

  it('refuses unknown fields, a blank name and a bad language tag', () => {
    expect(PersonalityCreate.safeParse({ name: 'X', tenant_id: 'other' }).success).toBe(false);
    expect(PersonalityCreate.safeParse({ name: '   ' }).success).toBe(false);
    expect(PersonalityCreate.safeParse({ name: 'X', language: 'English' }).success).toBe(false);
    expect(PersonalityCreate.safeParse({ name: 'X', language: 'pt-BR' }).success).toBe(true);
  });

  it('limits phrase banks', () => {
    expect(
      PersonalityCreate.safeParse({ name: 'X', response_style: { opening_phrases: [''] } }).success,
    ).toBe(false);
    const tooMany = Array.from({ length: 51 }, (_, i) => `Hello ${i}`);
    expect(
      PersonalityCreate.safeParse({ name: 'X', response_style: { opening_phrases: tooMany } }).success,
    ).toBe(false);
  });
});

describe('VoiceConfigInput', () => {
  it('accepts a provider voice with settings and a fallback', () => {
    const parsed = VoiceConfigInput.safeParse({
      provider: 'elevenlabs',
      voice_id: 'abc',
      settings: { stability: 0.5, similarity_boost: 0.75, style: 0, use_speaker_boost: true, speed: 1 },
      fallback: { provider: 'google', voice_id: 'en-US-Neural2-D' },
    });

    expect(parsed.success).toBe(true);
  });

  it('leaves status to the cloning workflow and bounds the settings', () => {
    expect(
      VoiceConfigInput.safeParse({ provider: 'local', voice_id: 'en-us', status: 'ready' }).success,
    ).toBe(false);
    expect(
      VoiceConfigInput.safeParse({ provider: 'local', voice_id: 'en-us', settings: { stability: 1.5 } })
        .success,
    ).toBe(false);
    expect(
      VoiceConfigInput.safeParse({ provider: 'local', voice_id: 'en-us', settings: { speed: 5 } }).success,
    ).toBe(false);
  });
});

describe('PersonalityUpdate and ids', () => {
  it('accepts a partial change with a version', () => {
    expect(PersonalityUpdate.parse({ version: 3, traits: { humor_level: 2 } })).toEqual({
      version: 3,
      traits: { humor_level: 2 },
    });
    expect(PersonalityUpdate.safeParse({ version: -1 }).success).toBe(false);
  });

  it('takes lowercase slugs as ids and nothing else', () => {
    for (const id of ['marcel', 'shante', 'budbot-1a2b3c', '7'])
      expect(PersonalityId.safeParse(id).success, id).toBe(true);
    for (const id of ['Marcel', 'shanté', '-x', 'a/b', '', 'x'.repeat(65)])
      expect(PersonalityId.safeParse(id).success, id).toBe(false);
  });
});
