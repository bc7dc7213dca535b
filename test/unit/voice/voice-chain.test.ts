// The order in which voices may speak for a personality, and why a voice is passed over.
import { describe, expect, it } from 'vitest';
import { builtinPersonality } from '../../../functions/personalities/builtins.ts';
import type { Personality } from '../../../functions/personalities/schemas.ts';
import type { ProviderName } from '../../../functions/providers/tts/port.ts';
import { autoLocalVoice, parseVoiceSpec, voiceChain } from '../../../functions/voice/voice-chain.ts';

const configured =
  (...names: ProviderName[]) =>
  (provider: string): provider is ProviderName =>
    names.includes(provider as ProviderName);

const shante = builtinPersonality('shante')!;

function withVoice(voice_config: Personality['voice_config']): Personality {
  return { ...shante, voice_config };
}

describe('voiceChain', () => {
  it('tries the personality’s voice, its fallback, the tenant default, then the platform default', () => {
    const { chain, skipped } = voiceChain({
      personality: shante,
      tenantDefault: { provider: 'openai', voice_id: 'nova' },
      platformDefault: { provider: 'local', voice_id: 'auto' },
      isConfigured: configured('google', 'polly', 'openai', 'local'),
    });

    expect(chain.map((choice) => `${choice.source}:${choice.provider}:${choice.voiceId}`)).toEqual([
      'personality:google:en-US-Neural2-F',
      'fallback:polly:Joanna',
      'tenant_default:openai:nova',
      'platform_default:local:en-us+f3',
    ]);
    expect(skipped).toEqual([]);
  });

  it('passes over providers without a key and voices still training, saying why', () => {
    const training = withVoice({
      provider: 'elevenlabs',
      voice_id: 'cloned',
      status: 'training',
      fallback: { provider: 'google', voice_id: 'en-US-Neural2-F' },
    });

    const { chain, skipped } = voiceChain({
      personality: training,
      platformDefault: { provider: 'local', voice_id: 'auto' },
      isConfigured: configured('elevenlabs', 'local'),
    });

    expect(chain.map((choice) => choice.provider)).toEqual(['local']);
    expect(skipped).toEqual([
      {
        provider: 'elevenlabs',
        voice_id: 'cloned',
        source: 'personality',
        reason: 'custom_voice_not_ready',
        order: 1,
      },
      {
        provider: 'google',
        voice_id: 'en-US-Neural2-F',
        source: 'fallback',
        reason: 'provider_not_configured',
        order: 2,
      },
    ]);
    // The local voice comes third: a voice that speaks is only ever preceded by those passed over.
    expect(chain[0]?.order).toBe(3);
  });

  it('passes over a cloned voice the plan or the month’s budget rules out, saying which', () => {
    const cloned = withVoice({
      provider: 'elevenlabs',
      voice_id: 'cloned',
      status: 'ready',
      fallback: { provider: 'google', voice_id: 'en-US-Neural2-F' },
    });

    for (const reason of ['plan_excludes_custom_voice', 'budget_exceeded'] as const) {
      const { chain, skipped } = voiceChain({
        personality: cloned,
        isConfigured: configured('elevenlabs', 'google'),
        customVoiceRefusal: reason,
      });

      expect(chain.map((choice) => `${choice.source}:${choice.provider}`)).toEqual(['fallback:google']);
      expect(skipped).toEqual([
        { provider: 'elevenlabs', voice_id: 'cloned', source: 'personality', reason, order: 1 },
      ]);
    }
  });

  it('lets a chosen stock voice speak whatever the plan says about cloned ones', () => {
    const { chain, skipped } = voiceChain({
      personality: shante,
      isConfigured: configured('google', 'polly'),
      customVoiceRefusal: 'plan_excludes_custom_voice',
    });

    expect(chain[0]).toMatchObject({ source: 'personality', provider: 'google' });
    expect(skipped).toEqual([]);
  });

  it('does not try the same voice twice', () => {
    const { chain } = voiceChain({
      personality: shante,
      tenantDefault: { provider: 'google', voice_id: 'en-US-Neural2-F' },
      isConfigured: configured('google', 'polly'),
    });

    expect(chain.map((choice) => choice.source)).toEqual(['personality', 'fallback']);
  });

  it('applies settings and model overrides to the personality’s voice', () => {
    const { chain } = voiceChain({
      personality: shante,
      isConfigured: configured('google', 'polly'),
      settingsOverride: { speaking_rate: 1.3 },
      modelOverride: 'wavenet',
    });

    expect(chain[0]).toMatchObject({ model: 'wavenet', settings: { speaking_rate: 1.3 } });
    expect(chain[1]?.model).toBeUndefined();
  });

  it('falls straight to the defaults for a personality without a voice', () => {
    const { chain } = voiceChain({
      personality: { ...shante, voice_config: undefined },
      platformDefault: { provider: 'local', voice_id: 'en-gb' },
      isConfigured: configured('local'),
    });

    expect(chain).toEqual([
      expect.objectContaining({ provider: 'local', voiceId: 'en-gb', source: 'platform_default' }),
    ]);
  });
});

describe('voice specs', () => {
  it('reads provider:voice[:model]', () => {
    expect(parseVoiceSpec('polly:Joanna')).toEqual({ provider: 'polly', voice_id: 'Joanna' });
    expect(parseVoiceSpec('elevenlabs:abc:eleven_flash_v2_5')).toEqual({
      provider: 'elevenlabs',
      voice_id: 'abc',
      model: 'eleven_flash_v2_5',
    });
    expect(parseVoiceSpec(undefined)).toBeUndefined();
  });

  it('picks a local voice by language and gender', () => {
    expect(autoLocalVoice('en-US', 'female')).toBe('en-us+f3');
    expect(autoLocalVoice('en-GB', 'male')).toBe('en-gb+m3');
    expect(autoLocalVoice('es-ES', undefined)).toBe('es');
  });
});
