// Unit tests for applying a pronunciation lexicon to prepared text, and for checking a lexicon before it is stored.
import { describe, expect, it } from 'vitest';
import type { Pronunciation } from '../../../functions/providers/tts/port.ts';
import {
  applyPronunciations,
  validateLexicon,
  type LexiconProblem,
} from '../../../functions/voice/pronunciations.ts';

const ALIASES = { phonemesSupported: false };
const SSML = { phonemesSupported: true };

const KUSH: Pronunciation = { grapheme: 'Kush', alias: 'Koosh' };
const SHANTE: Pronunciation = { grapheme: 'Shanté', alias: 'Shawn-tay', phoneme: 'ʃɑnˈteɪ' };

describe('applyPronunciations: matching', () => {
  it.each([
    ['before a full stop', 'Try the Kush.', 'Try the Koosh.'],
    ['before a possessive', "Kush's aroma is earthy.", "Koosh's aroma is earthy."],
    ['after a hyphen', 'OG-Kush is back.', 'OG-Koosh is back.'],
    ['in any case', 'KUSH and kush', 'Koosh and Koosh'],
  ])('replaces a whole word %s', (_name, text, spoken) => {
    expect(applyPronunciations(text, [KUSH], ALIASES).text).toBe(spoken);
  });

  it.each([
    ['longer words', 'Kushy vibes'],
    ['words it ends', 'Bubbakush rocks'],
    ['words with a letter outside ASCII before it', 'éKush'],
    ['words joined by an underscore', 'kush_strain'],
  ])('leaves %s alone', (_name, text) => {
    expect(applyPronunciations(text, [KUSH], ALIASES).text).toBe(text);
  });

  it('finds words with accents, whether written composed or decomposed', () => {
    // Act
    const composed = applyPronunciations("Ask Shanté's advice.", [SHANTE], ALIASES);
    const decomposed = applyPronunciations('Ask Shante\u0301.', [SHANTE], ALIASES);
    const longer = applyPronunciations('Shantées', [SHANTE], ALIASES);

    // Assess
    expect(composed.text).toBe("Ask Shawn-tay's advice.");
    expect(decomposed.text).toBe('Ask Shawn-tay.');
    expect(longer.text).toBe('Shantées');
  });

  it('matches only the exact case of a case-sensitive entry', () => {
    // Prepare
    const lexicon: Pronunciation[] = [{ grapheme: 'OG', alias: 'oh gee', case_sensitive: true }];

    // Act
    const result = applyPronunciations('OG Kush, og style, Og.', lexicon, ALIASES);

    // Assess
    expect(result.text).toBe('oh gee Kush, og style, Og.');
  });

  it('prefers the longer grapheme whatever the lexicon order', () => {
    // Prepare
    const lexicon: Pronunciation[] = [
      { grapheme: 'Blue', alias: 'Bloo' },
      { grapheme: 'Blue Dream', alias: 'Bloo Dreem' },
    ];

    // Act
    const result = applyPronunciations('Blue Dream, or just Blue? blue  dream!', lexicon, ALIASES);

    // Assess
    expect(result.text).toBe('Bloo Dreem, or just Bloo? Bloo Dreem!');
  });

  it('prefers the longer grapheme across case-sensitive and case-insensitive entries', () => {
    // Prepare
    const lexicon: Pronunciation[] = [
      { grapheme: 'OG', alias: 'oh gee' },
      { grapheme: 'OG Kush', alias: 'Original Koosh', case_sensitive: true },
    ];

    // Act
    const result = applyPronunciations('OG Kush beats og kush and OG.', lexicon, ALIASES);

    // Assess
    expect(result.text).toBe('Original Koosh beats oh gee kush and oh gee.');
  });

  it('matches a phrase across any run of whitespace', () => {
    expect(
      applyPronunciations('Blue\n\tDream', [{ grapheme: 'Blue Dream', alias: 'BD' }], ALIASES).text,
    ).toBe('BD');
  });

  it('treats regex characters in a grapheme literally', () => {
    // Prepare
    const lexicon: Pronunciation[] = [
      { grapheme: 'C++', alias: 'C plus plus' },
      { grapheme: 'a.k.a', alias: 'also known as' },
      { grapheme: '(THC)', alias: 'T H C' },
    ];

    // Act
    const result = applyPronunciations('C++ devs, a.k.a coders, akxka (THC) C+', lexicon, ALIASES);

    // Assess
    expect(result.text).toBe('C plus plus devs, also known as coders, akxka T H C C+');
  });

  it('replaces in one pass, never matching an alias again', () => {
    // Prepare
    const lexicon: Pronunciation[] = [
      { grapheme: 'GSC', alias: 'Girl Scout Cookies' },
      { grapheme: 'Cookies', alias: 'Cookies brand' },
    ];

    // Act
    const result = applyPronunciations('GSC or Cookies', lexicon, ALIASES);

    // Assess
    expect(result.text).toBe('Girl Scout Cookies or Cookies brand');
  });

  it('leaves the text as it is for an empty lexicon or entries it cannot use', () => {
    // Prepare
    const lexicon: Pronunciation[] = [
      { grapheme: '', alias: 'nothing' },
      { grapheme: '  ', alias: 'x' },
      { grapheme: 'Kush' },
    ];

    // Act
    const none = applyPronunciations('Kush here.', [], ALIASES);
    const unusable = applyPronunciations('Kush here.', lexicon, ALIASES);

    // Assess
    expect(none).toEqual({ text: 'Kush here.', phonemes: [] });
    expect(unusable).toEqual({ text: 'Kush here.', phonemes: [] });
  });
});

describe('applyPronunciations: aliases and phonemes', () => {
  it('hands an entry with a phoneme to an SSML provider, leaving the word in the text', () => {
    // Act
    const result = applyPronunciations('Shanté says hi. Shanté again.', [SHANTE, KUSH], SSML);

    // Assess
    expect(result.text).toBe('Shanté says hi. Shanté again.');
    expect(result.phonemes).toEqual([SHANTE]);
  });

  it('still uses the alias of an entry without a phoneme when phonemes are supported', () => {
    // Act
    const result = applyPronunciations('Shanté likes Kush.', [SHANTE, KUSH], SSML);

    // Assess
    expect(result.text).toBe('Shanté likes Koosh.');
    expect(result.phonemes).toEqual([SHANTE]);
  });

  it('uses the alias instead when the provider has no phonemes', () => {
    // Act
    const result = applyPronunciations('Shanté says hi.', [SHANTE], ALIASES);

    // Assess
    expect(result.text).toBe('Shawn-tay says hi.');
    expect(result.phonemes).toEqual([]);
  });

  it('leaves the word of a phoneme-only entry as it is when the provider has no phonemes', () => {
    expect(
      applyPronunciations('Zkittlez please.', [{ grapheme: 'Zkittlez', phoneme: 'ˈskɪtəlz' }], ALIASES),
    ).toEqual({
      text: 'Zkittlez please.',
      phonemes: [],
    });
  });

  it('lets a shorter alias apply inside a phoneme-only phrase the provider cannot use', () => {
    // Prepare
    const lexicon: Pronunciation[] = [
      { grapheme: 'Kush Mints', phoneme: 'kʊʃ mɪnts' },
      { grapheme: 'Kush', alias: 'Koosh' },
    ];

    // Act
    const withoutSsml = applyPronunciations('Kush Mints', lexicon, ALIASES);
    const withSsml = applyPronunciations('Kush Mints', lexicon, SSML);

    // Assess
    expect(withoutSsml.text).toBe('Koosh Mints');
    expect(withSsml).toEqual({ text: 'Kush Mints', phonemes: [lexicon[0]] });
  });

  it('lists phonemes in the order their words first appear', () => {
    // Prepare
    const runtz: Pronunciation = { grapheme: 'Runtz', phoneme: 'rʌnts' };

    // Act
    const result = applyPronunciations('Runtz, then Shanté, then Runtz.', [SHANTE, runtz], SSML);

    // Assess
    expect(result.phonemes).toEqual([runtz, SHANTE]);
  });
});

describe('validateLexicon', () => {
  it('finds nothing wrong with a good lexicon', () => {
    // Prepare
    const lexicon: Pronunciation[] = [
      KUSH,
      SHANTE,
      { grapheme: 'Zkittlez', phoneme: '"skI.t@lz', alphabet: 'x-sampa' },
      { grapheme: 'Runtz', phoneme: 'rʌnts', alphabet: 'ipa', case_sensitive: true },
    ];

    // Act
    const problems = validateLexicon(lexicon);

    // Assess
    expect(problems).toEqual([]);
  });

  it.each<[string, Pronunciation, Pick<LexiconProblem, 'field'>]>([
    ['an empty grapheme', { grapheme: '  ', alias: 'x' }, { field: 'grapheme' }],
    ['neither alias nor phoneme', { grapheme: 'Kush' }, { field: 'alias' }],
    ['an empty alias', { grapheme: 'Kush', alias: ' ', phoneme: 'kʊʃ' }, { field: 'alias' }],
    ['an empty phoneme', { grapheme: 'Kush', alias: 'Koosh', phoneme: '' }, { field: 'phoneme' }],
    ['IPA that is plain ASCII letters', { grapheme: 'Kush', phoneme: 'koosh' }, { field: 'phoneme' }],
    ['IPA with angle brackets', { grapheme: 'Kush', phoneme: 'kʊʃ<break/>' }, { field: 'phoneme' }],
    ['IPA with a double quote', { grapheme: 'Kush', phoneme: 'k"ʊʃ' }, { field: 'phoneme' }],
    ['IPA with an apostrophe for stress', { grapheme: 'Kush', phoneme: "'kʊʃ" }, { field: 'phoneme' }],
    [
      'X-SAMPA outside printable ASCII',
      { grapheme: 'Kush', phoneme: 'kʊʃ', alphabet: 'x-sampa' },
      { field: 'phoneme' },
    ],
    [
      'X-SAMPA with a control character',
      { grapheme: 'Kush', phoneme: 'kU\tS', alphabet: 'x-sampa' },
      { field: 'phoneme' },
    ],
    [
      'an unknown alphabet',
      { grapheme: 'Kush', phoneme: 'kʊʃ', alphabet: 'arpabet' as Pronunciation['alphabet'] },
      { field: 'alphabet' },
    ],
  ])('reports %s', (_name, entry, expected) => {
    // Act
    const problems = validateLexicon([entry]);

    // Assess
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject(expected);
    expect(problems[0]?.message).toBeTruthy();
  });

  it('reports a grapheme repeated in another case at the later entry, naming the first', () => {
    // Act
    const problems = validateLexicon([
      KUSH,
      { grapheme: 'Blue Dream', alias: 'BD' },
      { grapheme: 'blue  DREAM', alias: 'bd' },
    ]);

    // Assess
    expect(problems).toEqual([{ index: 2, field: 'grapheme', message: expect.stringContaining('entry 1') }]);
  });

  it('reports every problem of every entry with its index', () => {
    // Act
    const problems = validateLexicon([KUSH, { grapheme: '' }, { grapheme: 'kush', phoneme: '<x>' }]);

    // Assess
    expect(problems.map(({ index, field }) => ({ index, field }))).toEqual([
      { index: 1, field: 'grapheme' },
      { index: 1, field: 'alias' },
      { index: 2, field: 'grapheme' },
      { index: 2, field: 'phoneme' },
    ]);
  });
});
