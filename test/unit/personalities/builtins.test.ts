// Unit tests for the built-in personalities shipped with the product.
import { describe, it, expect } from 'vitest';
import { Personality, Traits } from '../../../functions/personalities/schemas.ts';
import {
  builtinIds,
  builtinPersonalities,
  builtinPersonality,
  isBuiltinId,
} from '../../../functions/personalities/builtins.ts';

describe('built-in personalities', () => {
  it('are exactly marcel, shante and zac', () => {
    expect([...builtinIds].sort()).toEqual(['marcel', 'shante', 'zac']);
    expect(builtinPersonalities.map((p) => p.id)).toEqual(builtinIds);
  });

  it('keep the accent in Shanté’s name while her id stays ASCII', () => {
    // Act
    const shante = builtinPersonality('shante');

    // Assess
    expect(shante?.name).toBe('Shanté');
    expect(builtinPersonalities.map((p) => p.name)).toEqual(
      expect.arrayContaining(['Marcel', 'Shanté', 'Zac']),
    );
  });

  it.each(['marcel', 'shante', 'zac'])(
    '%s validates against the Personality schema as an uncustomised built-in',
    (id) => {
      // Act
      const personality = builtinPersonality(id);
      const parsed = Personality.safeParse(personality);

      // Assess
      expect(parsed.success).toBe(true);
      expect(personality).toMatchObject({
        source: 'builtin',
        version: 0,
        is_active: true,
        language: 'en-US',
      });
      expect(personality?.created_at).toBeUndefined();
      expect(personality?.updated_at).toBeUndefined();
      expect(personality?.emoji).toBeTruthy();
      expect(personality?.system_prompt?.trim()).toBeTruthy();
    },
  );

  it.each(['marcel', 'shante', 'zac'])('%s sets every trait', (id) => {
    const traits = builtinPersonality(id)?.traits ?? {};
    for (const key of Traits.keyof().options) expect(traits[key], key).toBeDefined();
  });

  it('differ pairwise in their traits, emoji and voices', () => {
    // Prepare
    const all = [...builtinPersonalities];

    // Act / Assess
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const [a, b] = [all[i]!, all[j]!];
        expect(a.traits, `${a.id} vs ${b.id}`).not.toEqual(b.traits);
        expect(a.traits.communication_style).not.toBe(b.traits.communication_style);
        expect(a.traits.humor_style).not.toBe(b.traits.humor_style);
        expect(a.traits.sales_approach).not.toBe(b.traits.sales_approach);
        expect(a.emoji).not.toBe(b.emoji);
        expect(a.voice_config?.voice_id).not.toBe(b.voice_config?.voice_id);
        expect(a.voice_config?.fallback?.voice_id).not.toBe(b.voice_config?.fallback?.voice_id);
      }
    }
  });

  it.each(['marcel', 'shante', 'zac'])('%s has 4 to 6 phrases in each of the three banks', (id) => {
    const style = builtinPersonality(id)?.response_style;
    for (const bank of [style?.opening_phrases, style?.product_transitions, style?.closing_phrases]) {
      expect(bank?.length).toBeGreaterThanOrEqual(4);
      expect(bank?.length).toBeLessThanOrEqual(6);
      expect(new Set(bank).size).toBe(bank?.length);
    }
  });

  it.each(['marcel', 'shante', 'zac'])(
    '%s speaks with a Google voice and falls back to another provider',
    (id) => {
      // Act
      const voice = builtinPersonality(id)?.voice_config;

      // Assess
      expect(voice?.provider).toBe('google');
      expect(voice?.voice_id).toMatch(/^en-US-Neural2-[A-J]$/);
      expect(voice?.status).toBe('none');
      expect(voice?.fallback).toBeDefined();
      expect(voice?.fallback?.provider).not.toBe(voice?.provider);
    },
  );
});

describe('builtinPersonality', () => {
  it('returns a copy: mutating it does not change the next result', () => {
    // Prepare
    const first = builtinPersonality('marcel')!;
    const pristine = JSON.stringify(first);

    // Act
    first.name = 'Changed';
    first.traits.age = 99;
    first.response_style.opening_phrases?.push('Injected');

    // Assess
    const second = builtinPersonality('marcel');
    expect(JSON.stringify(second)).toBe(pristine);
    expect(second).not.toBe(first);
  });

  it('never hands out the shared list mutably', () => {
    const shared = builtinPersonalities[0]!;
    expect(() => {
      shared.traits.age = 1;
    }).toThrow(TypeError);
    expect(Object.isFrozen(builtinPersonalities)).toBe(true);
  });

  it('answers undefined for an unknown id', () => {
    expect(builtinPersonality('nobody')).toBeUndefined();
    expect(builtinPersonality('Marcel')).toBeUndefined();
  });
});

describe('isBuiltinId', () => {
  it.each([
    ['marcel', true],
    ['shante', true],
    ['zac', true],
    ['shanté', false],
    ['nobody', false],
    ['', false],
  ])('%s → %s', (id, expected) => {
    expect(isBuiltinId(id)).toBe(expected);
  });
});
