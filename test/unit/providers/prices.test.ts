// The price table and the setting ranges: every model priced, costs computed, settings checked per provider.
import { describe, expect, it } from 'vitest';
import { PROVIDER_NAMES } from '../../../functions/providers/tts/port.ts';
import { pricePerMillion, SPEECH_PRICES, speechCost } from '../../../functions/providers/tts/prices.ts';
import {
  relevantSettings,
  SETTING_RANGES,
  settingProblems,
} from '../../../functions/providers/tts/setting-ranges.ts';

describe('prices', () => {
  it('gives every price a source and a date', () => {
    for (const provider of PROVIDER_NAMES) {
      for (const [model, price] of Object.entries(SPEECH_PRICES[provider])) {
        expect(price.source.length, `${provider} ${model}`).toBeGreaterThan(5);
        expect(price.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    }
  });

  it('costs characters at the model’s price', () => {
    expect(speechCost('google', 'neural2', 1000)).toBeCloseTo(0.016, 9);
    expect(speechCost('elevenlabs', 'eleven_flash_v2_5', 300)).toBeCloseTo(0.015, 9);
    expect(speechCost('local', 'espeak-ng', 5000)).toBe(0);
  });

  it('prices an unknown model at the provider’s dearest, never cheaper', () => {
    expect(pricePerMillion('polly', 'some-new-engine')).toBe(100);
  });
});

describe('setting ranges', () => {
  it('accepts settings inside the provider’s ranges', () => {
    expect(settingProblems('elevenlabs', { stability: 0.3, speed: 1.1, use_speaker_boost: false })).toEqual(
      [],
    );
    expect(settingProblems('google', { speaking_rate: 3.5, pitch: -19 })).toEqual([]);
  });

  it('names a value out of range and a setting the provider does not use', () => {
    const problems = settingProblems('polly', { speaking_rate: 3, stability: 0.5 });

    expect(problems.map((problem) => problem.field)).toEqual([
      'settings.speaking_rate',
      'settings.stability',
    ]);
    expect(problems[0]?.message).toContain('between 0.2 and 2');
    expect(problems[1]?.message).toContain('polly does not use stability');
  });

  it('keeps only what a provider applies', () => {
    expect(relevantSettings('openai', { speed: 1.2, stability: 0.5, pitch: 3 })).toEqual({ speed: 1.2 });
  });

  it('declares defaults inside their own ranges', () => {
    for (const provider of PROVIDER_NAMES) {
      for (const spec of Object.values(SETTING_RANGES[provider])) {
        if (spec.kind === 'number') {
          expect(spec.default).toBeGreaterThanOrEqual(spec.min);
          expect(spec.default).toBeLessThanOrEqual(spec.max);
        }
      }
    }
  });
});
