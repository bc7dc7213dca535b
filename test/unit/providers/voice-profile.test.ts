// Voice profiles: pitch and pace measured from audio, mapped to eSpeak, and carried safely in a voice id.
import { describe, expect, it } from 'vitest';
import { parseWav } from '../../../functions/audio/wav.ts';
import { createLocalProvider } from '../../../functions/providers/tts/local.ts';
import type { VoiceSettings } from '../../../functions/providers/tts/port.ts';
import {
  decodeProfileVoiceId,
  encodeProfileVoiceId,
  measureVoice,
  profileFromMeasures,
  type VoiceMeasures,
} from '../../../functions/providers/tts/voice-profile.ts';

const RATE = 24_000;
const provider = createLocalProvider();
const PASSAGE =
  'The lighthouse keeper waved at the passing ship, and the sailors waved back from the deck. ' +
  'Every evening he climbed the narrow stairs to light the great lamp, and every morning he wrote ' +
  'a few lines in his logbook about the weather, the birds and the boats.';

/** A sawtooth-like tone (15 harmonics at 1/k) whose F0 wobbles ±3 % at 5 Hz, like a sung or spoken vowel. */
function vibratoTone(hz: number, seconds: number, rate = RATE): Float32Array {
  const out = new Float32Array(Math.round(seconds * rate));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const f0 = hz * (1 + 0.03 * Math.sin((2 * Math.PI * 5 * i) / rate));
    phase += (2 * Math.PI * f0) / rate;
    let value = 0;
    for (let k = 1; k <= 15; k++) value += Math.sin(k * phase) / k;
    out[i] = 0.3 * value;
  }
  return out;
}

/** Bursts of a 150 Hz harmonic tone, `perSecond` of them, each a raised-cosine swell and fade with a gap after it. */
function syllableTrain(perSecond: number, seconds: number): Float32Array {
  const tone = vibratoTone(150, seconds);
  const period = RATE / perSecond;
  const burst = period * 0.6;
  return tone.map((value, i) => {
    const within = i % period;
    return within < burst ? value * 0.5 * (1 - Math.cos((2 * Math.PI * within) / burst)) : 0;
  });
}

async function speech(voiceId: string, settings?: VoiceSettings): Promise<VoiceMeasures> {
  const { audio } = await provider.synthesize({ text: PASSAGE, voiceId, format: 'wav', settings });
  const wav = parseWav(audio);
  return measureVoice(
    Float32Array.from(wav.samples, (sample) => sample / 32768),
    wav.sampleRate,
  );
}

function measures(overrides: Partial<VoiceMeasures>): VoiceMeasures {
  return {
    median_pitch_hz: 120,
    pitch_range_semitones: 4,
    words_per_minute: 176,
    voiced_share: 0.5,
    ...overrides,
  };
}

describe('measureVoice: synthetic signals', () => {
  it.each([120, 220])('finds the pitch of a harmonic-rich %i Hz tone with vibrato within 5 %%', (hz) => {
    // Act
    const measured = measureVoice(vibratoTone(hz, 3), RATE);

    // Assess
    expect(measured.median_pitch_hz).toBeGreaterThan(hz * 0.95);
    expect(measured.median_pitch_hz).toBeLessThan(hz * 1.05);
    expect(measured.voiced_share).toBeGreaterThan(0.9);
  });

  it('finds the pitch at other sample rates too (44.1 kHz, 16 kHz)', () => {
    // Act
    const cd = measureVoice(vibratoTone(220, 2, 44_100), 44_100);
    const wideband = measureVoice(vibratoTone(120, 2, 16_000), 16_000);

    // Assess
    expect(Math.abs(cd.median_pitch_hz / 220 - 1)).toBeLessThan(0.05);
    expect(Math.abs(wideband.median_pitch_hz / 120 - 1)).toBeLessThan(0.05);
  });

  it('counts four syllables a second as about 160 words a minute', () => {
    // Act
    const measured = measureVoice(syllableTrain(4, 10), RATE);

    // Assess: 4 syllables/s × 60 / 1.5 syllables a word = 160.
    expect(measured.words_per_minute).toBeGreaterThan(160 * 0.85);
    expect(measured.words_per_minute).toBeLessThan(160 * 1.15);
  });

  it('finds neither pitch nor speech in silence or noise', () => {
    // Prepare
    let seed = 12345;
    const noise = Float32Array.from({ length: RATE * 2 }, () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31 - 0.5;
    });

    // Act
    const silent = measureVoice(new Float32Array(RATE * 2), RATE);
    const hiss = measureVoice(noise, RATE);

    // Assess
    expect(silent).toEqual({
      median_pitch_hz: 0,
      pitch_range_semitones: 0,
      words_per_minute: 0,
      voiced_share: 0,
    });
    expect(hiss.voiced_share).toBeLessThan(0.1);
  });

  it('refuses a sample rate too low to hold a voice', () => {
    expect(() => measureVoice(new Float32Array(100), 1000)).toThrow(RangeError);
  });
});

// Each render instantiates eSpeak (~0.2 s, more on a busy machine).
describe('measureVoice: eSpeak speech', { timeout: 30_000 }, () => {
  it('hears the female variant higher than the male one', async () => {
    // Act
    const female = await speech('en-us+f3');
    const male = await speech('en-us+m3');

    // Assess
    expect(female.median_pitch_hz).toBeGreaterThan(male.median_pitch_hz * 1.5);
    expect(female.median_pitch_hz).toBeGreaterThan(165);
    expect(male.median_pitch_hz).toBeLessThan(165);
    expect(female.voiced_share).toBeGreaterThan(0.3);
  });

  it('hears 250 words a minute as faster than 120', async () => {
    // Act: 175 wpm × the speaking rate gives eSpeak's -s 120 and -s 250.
    const slow = await speech('en-us+f3', { speaking_rate: 120 / 175 });
    const fast = await speech('en-us+f3', { speaking_rate: 250 / 175 });

    // Assess
    expect(fast.words_per_minute).toBeGreaterThan(slow.words_per_minute * 1.4);
    expect(slow.words_per_minute).toBeGreaterThan(90);
    expect(fast.words_per_minute).toBeLessThan(300);
  });
});

describe('profileFromMeasures', () => {
  it('picks the female variant for a high voice and the male one for a low voice', () => {
    // Act
    const female = profileFromMeasures(measures({ median_pitch_hz: 214 }), 'en-US');
    const male = profileFromMeasures(measures({ median_pitch_hz: 105 }), 'en-US');

    // Assess: these are the variants' own medians, so eSpeak's default pitch.
    expect(female).toEqual({ base: 'en-us', variant: 'f3', pitch: 50, wpm: 175 });
    expect(male).toEqual({ base: 'en-us', variant: 'm3', pitch: 50, wpm: 175 });
  });

  it('raises and lowers the eSpeak pitch with the measured one, within 0–99', () => {
    // Act
    const pitches = [150, 200, 260, 400].map(
      (hz) => profileFromMeasures(measures({ median_pitch_hz: hz }), 'en').pitch,
    );
    const lowest = profileFromMeasures(measures({ median_pitch_hz: 60 }), 'en').pitch;

    // Assess: 150 Hz is a high male voice, 200 Hz a low female one.
    expect(pitches[0]).toBeGreaterThan(50);
    expect(pitches[1]).toBeLessThan(50);
    expect(pitches[2]).toBeGreaterThan(50);
    expect(pitches[3]).toBe(99);
    expect(lowest).toBe(0);
  });

  it('turns the measured pace into an eSpeak rate within 80–450', () => {
    // Act
    const rate = (wpm: number): number =>
      profileFromMeasures(measures({ words_per_minute: wpm }), 'en-US').wpm;

    // Assess
    expect(rate(130)).toBe(120);
    expect(rate(226)).toBe(250);
    expect(rate(20)).toBe(80);
    expect(rate(1000)).toBe(450);
    expect(rate(0)).toBe(175);
  });

  it.each([
    ['en-GB', 'en-gb'],
    ['en', 'en-us'],
    ['es-ES', 'es'],
    ['es-MX', 'es-419'],
    ['pt-PT', 'pt-br'],
    ['DE', 'de'],
  ])('speaks %s with eSpeak voice %s', (language, base) => {
    expect(profileFromMeasures(measures({}), language).base).toBe(base);
  });

  it('refuses a language eSpeak is not offered in, and measures without a pitch', () => {
    expect(() => profileFromMeasures(measures({}), 'ja-JP')).toThrow(RangeError);
    expect(() => profileFromMeasures(measures({ median_pitch_hz: 0 }), 'en-US')).toThrow(RangeError);
  });
});

describe('profile voice ids', () => {
  it('round-trips a profile', () => {
    // Prepare
    const profile = { base: 'en-us', variant: 'f3', pitch: 62, wpm: 172 } as const;

    // Act
    const id = encodeProfileVoiceId(profile);

    // Assess
    expect(id).toBe('profile:en-us+f3:p62:w172');
    expect(decodeProfileVoiceId(id)).toEqual(profile);
    expect(decodeProfileVoiceId('profile:es-419+m3:p0:w450')).toEqual({
      base: 'es-419',
      variant: 'm3',
      pitch: 0,
      wpm: 450,
    });
  });

  it.each([
    'profile:en-us+f3 -w /etc/x:p1:w1',
    'profile:en-us+f3:p62:w172 -w /etc/passwd',
    'profile:en-us+f3:p62:w172\n',
    'profile:en-us+f3:p100:w172',
    'profile:en-us+f3:p-1:w172',
    'profile:en-us+f3:p062:w172',
    'profile:en-us+f3:p62:w79',
    'profile:en-us+f3:p62:w451',
    'profile:en-us+f3:p6.5:w172',
    'profile:xx-yy+f3:p62:w172',
    'profile:ja+f3:p62:w172',
    'profile:en-us+f9:p62:w172',
    'profile:en-us+m8:p62:w172',
    'profile:en-us:p62:w172',
    'PROFILE:en-us+f3:p62:w172',
    'en-us+f3',
    '',
  ])('rejects the crafted or out-of-range id %j', (id) => {
    expect(decodeProfileVoiceId(id)).toBeUndefined();
  });
});
