// Cache keys: the same sentence spoken the same way hashes the same; anything that changes the audio changes the key.
import { describe, expect, it } from 'vitest';
import {
  joinedKey,
  sentenceHash,
  sentenceKey,
  type SentenceIdentity,
} from '../../../functions/voice/speech-cache.ts';

const base: SentenceIdentity = {
  tenantId: 'acme',
  provider: 'google',
  model: 'neural2',
  voiceId: 'en-US-Neural2-D',
  settings: { speaking_rate: 1.1, pitch: 0 },
  format: 'mp3',
  text: 'Welcome in.',
  phonemes: [],
};

describe('speech cache keys', () => {
  it('ignores the order settings were written in', () => {
    expect(sentenceHash({ ...base, settings: { pitch: 0, speaking_rate: 1.1 } })).toBe(sentenceHash(base));
  });

  it('changes with every part that changes the audio, the tenant included', () => {
    const variants: Partial<SentenceIdentity>[] = [
      { tenantId: 'other' },
      { provider: 'polly' },
      { model: 'wavenet' },
      { voiceId: 'en-US-Neural2-F' },
      { settings: { speaking_rate: 1.2, pitch: 0 } },
      { format: 'wav' },
      { text: 'Welcome in!' },
      { phonemes: [{ grapheme: 'Welcome', phoneme: 'ˈwɛlkəm', alphabet: 'ipa' }] },
    ];
    const hashes = new Set([
      sentenceHash(base),
      ...variants.map((variant) => sentenceHash({ ...base, ...variant })),
    ]);

    expect(hashes.size).toBe(variants.length + 1);
  });

  it('keeps a tenant’s audio under its own prefix in the cache area', () => {
    expect(sentenceKey(base)).toMatch(/^cache\/acme\/[0-9a-f]{64}\.mp3$/);
    expect(joinedKey('acme', ['a', 'b'], 'wav')).toMatch(/^cache\/acme\/joined-[0-9a-f]{64}\.wav$/);
    expect(joinedKey('acme', ['a', 'b'], 'wav')).not.toBe(joinedKey('acme', ['b', 'a'], 'wav'));
  });
});
