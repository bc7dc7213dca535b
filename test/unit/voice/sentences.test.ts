// Unit tests for splitting prepared speech into cacheable sentences within a model's input limit.
import { describe, expect, it } from 'vitest';
import { normaliseSentence, splitSentences } from '../../../functions/voice/sentences.ts';
import { prepareForSpeech } from '../../../functions/voice/speech-text.ts';

const CHARS = { maxInput: 5000, unit: 'characters' } as const;
const BYTES = { maxInput: 5000, unit: 'bytes' } as const;

const utf8 = (text: string) => new TextEncoder().encode(text).length;
const withoutSpaces = (text: string) => text.replace(/\s+/gu, '');
/** A lone surrogate would turn into U+FFFD on the way to the provider. */
const hasLoneSurrogate = (text: string) => /[\uD800-\uDFFF]/u.test(text);

describe('splitSentences: sentence ends', () => {
  it('splits a budtender reply at full stops, exclamation and question marks', () => {
    // Act
    const sentences = splitSentences(
      'Welcome in! Looking for something chill? Try the Gelato. It rocks.',
      CHARS,
    );

    // Assess
    expect(sentences).toEqual([
      'Welcome in!',
      'Looking for something chill?',
      'Try the Gelato.',
      'It rocks.',
    ]);
  });

  it('keeps runs of marks together', () => {
    expect(splitSentences('No way?! Yes!!! Wait… Okay... Fine?', CHARS)).toEqual([
      'No way?!',
      'Yes!!!',
      'Wait…',
      'Okay...',
      'Fine?',
    ]);
  });

  it('keeps closing quotes and brackets with their sentence', () => {
    expect(splitSentences('She said "Go slow." (Good advice.) Then she left.’ Right? ”Yes.”', CHARS)).toEqual(
      ['She said "Go slow."', '(Good advice.)', 'Then she left.’', 'Right?', '”Yes.”'],
    );
  });

  it('does not split where a lowercase word carries the sentence on', () => {
    expect(splitSentences('I mean… it is good. Really.', CHARS)).toEqual(['I mean… it is good.', 'Really.']);
  });

  it('treats line breaks as spaces', () => {
    expect(splitSentences('One.\nTwo!\n\nThree', CHARS)).toEqual(['One.', 'Two!', 'Three']);
  });

  it('keeps a last sentence without a mark', () => {
    expect(splitSentences('Enjoy. See you soon', CHARS)).toEqual(['Enjoy.', 'See you soon']);
  });

  it.each([
    ['Mr.', 'Ask Mr. Nice. He knows.', ['Ask Mr. Nice.', 'He knows.']],
    ['Mrs.', 'Mrs. Lee agrees. Good.', ['Mrs. Lee agrees.', 'Good.']],
    ['Dr.', "Dr. Greenthumb's is open. Go.", ["Dr. Greenthumb's is open.", 'Go.']],
    ['St.', 'St. Louis loves it. Yes.', ['St. Louis loves it.', 'Yes.']],
    ['Jr. and Sr.', 'Ask Bob Jr. Or Bob Sr. Either.', ['Ask Bob Jr. Or Bob Sr. Either.']],
    ['vs.', 'Indica vs. Sativa. Pick one.', ['Indica vs. Sativa.', 'Pick one.']],
    ['etc.', 'Gummies, mints, etc. All here.', ['Gummies, mints, etc. All here.']],
    ['e.g.', 'Try one, e.g. Gelato. Nice.', ['Try one, e.g. Gelato.', 'Nice.']],
    ['i.e.', 'Go low, i.e. One gummy. Then wait.', ['Go low, i.e. One gummy.', 'Then wait.']],
    ['a.m. and p.m.', 'Open 9 a.m. To 9 p.m. Daily. Come by.', ['Open 9 a.m. To 9 p.m. Daily.', 'Come by.']],
    ['U.S.', 'Grown in the U.S. Since 2010. Wow.', ['Grown in the U.S. Since 2010.', 'Wow.']],
    ['initials', 'J. R. R. Tolkien smoked. True.', ['J. R. R. Tolkien smoked.', 'True.']],
  ])('does not split after %s', (_name, text, sentences) => {
    expect(splitSentences(text, CHARS)).toEqual(sentences);
  });

  it.each([
    ['decimals', 'It is 2.5 grams. Enjoy.', ['It is 2.5 grams.', 'Enjoy.']],
    ['thousands', 'We sold 1,000.5 grams. Wow.', ['We sold 1,000.5 grams.', 'Wow.']],
    ['dotted thousands', 'Das kostet 1.000 Euro. Gut.', ['Das kostet 1.000 Euro.', 'Gut.']],
    [
      'URLs',
      'See https://x.example/menu.html?a=1.2 Now. Bye.',
      ['See https://x.example/menu.html?a=1.2 Now.', 'Bye.'],
    ],
    ['domains', 'Visit greenleaf.example.com. Thanks!', ['Visit greenleaf.example.com.', 'Thanks!']],
  ])('does not split inside %s', (_name, text, sentences) => {
    expect(splitSentences(text, CHARS)).toEqual(sentences);
  });

  it('returns each sentence exactly as written, trimmed, and the same string every time', () => {
    // Prepare
    const text = '  Try  the   Gelato.   It  rocks!  ';

    // Act
    const first = splitSentences(text, CHARS);
    const second = splitSentences(text, CHARS);

    // Assess
    expect(first).toEqual(['Try  the   Gelato.', 'It  rocks!']);
    expect(second).toEqual(first);
  });

  it.each(['', '   ', '\n\n'])('returns no sentences, never empty strings, for %j', (text) => {
    expect(splitSentences(text, CHARS)).toEqual([]);
  });

  it('gives back the prepared text when the sentences are joined with spaces', () => {
    // Prepare
    const prepared = prepareForSpeech(
      "## Picks\n\n- **Blue Dream** — $35, 18% THC 🌿\n- Dr. Greenthumb's OG: 2.5g for $20!\n\nQuestions? Ask Mr. Nice… or me. 😄 Enjoy.",
    );

    // Act
    const sentences = splitSentences(prepared, CHARS);

    // Assess
    expect(sentences.length).toBeGreaterThan(3);
    expect(sentences.join(' ')).toBe(prepared);
  });

  it.each([0, -5, 2.5, Number.NaN])('refuses a limit of %s', (maxInput) => {
    expect(() => splitSentences('Hi.', { maxInput, unit: 'characters' })).toThrow(RangeError);
  });
});

describe('splitSentences: sentences over the limit', () => {
  const runOn = Array.from({ length: 400 }, (_, i) => `strain number ${i} smells like citrus and pine`).join(
    ', ',
  );

  it('cuts a 12,000-character run-on sentence under 5,000 characters at clause boundaries', () => {
    // Prepare
    expect(runOn.length).toBeGreaterThan(12_000);

    // Act
    const pieces = splitSentences(runOn, CHARS);

    // Assess
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    for (const piece of pieces) expect(piece.length).toBeLessThanOrEqual(5000);
    for (const piece of pieces.slice(0, -1)) expect(piece.endsWith(',')).toBe(true);
    expect(pieces.join(' ')).toBe(runOn);
  });

  it('prefers the last clause mark under the limit, and only one followed by a space', () => {
    expect(
      splitSentences('We have Gelato; Runts, and 1,000 more', { maxInput: 24, unit: 'characters' }),
    ).toEqual(['We have Gelato; Runts,', 'and 1,000 more']);
  });

  it('cuts after a dash when there is no comma', () => {
    expect(splitSentences('Smooth smoke—sweet taste', { maxInput: 15, unit: 'characters' })).toEqual([
      'Smooth smoke—',
      'sweet taste',
    ]);
  });

  it('cuts at the last space when there is no clause mark', () => {
    // Prepare
    const text = Array.from({ length: 3000 }, () => 'chill').join(' ');

    // Act
    const pieces = splitSentences(text, CHARS);

    // Assess
    expect(pieces).toHaveLength(4);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(5000);
      expect(piece).toMatch(/^chill( chill)*$/);
    }
    expect(pieces.join(' ')).toBe(text);
  });

  it('cuts multibyte text with spaces under a 5,000-byte limit without breaking a character', () => {
    // Prepare
    const text = Array.from({ length: 1500 }, (_, i) => `café crème ${i} très épicé`).join(' ');
    expect(utf8(text)).toBeGreaterThan(12_000);

    // Act
    const pieces = splitSentences(text, BYTES);

    // Assess
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    for (const piece of pieces) {
      expect(utf8(piece)).toBeLessThanOrEqual(5000);
      expect(piece).toBe(piece.trim());
    }
    expect(withoutSpaces(pieces.join(' '))).toBe(withoutSpaces(text));
  });

  it('hard-cuts CJK text with no spaces under a 5,000-byte limit on character boundaries', () => {
    // Prepare
    const text = '大麻の品種について話しましょう𠜎'.repeat(300);
    expect(utf8(text)).toBeGreaterThan(12_000);

    // Act
    const pieces = splitSentences(text, BYTES);

    // Assess
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    for (const piece of pieces) {
      expect(utf8(piece)).toBeLessThanOrEqual(5000);
      expect(hasLoneSurrogate(piece)).toBe(false);
    }
    // Filled to within one character of the limit, except the remainder.
    for (const piece of pieces.slice(0, -1)) expect(utf8(piece)).toBeGreaterThan(4996);
    expect(pieces.join('')).toBe(text);
  });

  it('never splits a surrogate pair when counting characters', () => {
    // Prepare: astral CJK characters, each two UTF-16 units, against an odd limit
    const text = '𠜎𠜱𠝹𠱓'.repeat(10);

    // Act
    const pieces = splitSentences(text, { maxInput: 5, unit: 'characters' });

    // Assess
    for (const piece of pieces) {
      expect(piece.length).toBe(4);
      expect(hasLoneSurrogate(piece)).toBe(false);
    }
    expect(pieces.join('')).toBe(text);
  });

  it('keeps an accent on its letter when it has to hard-cut', () => {
    // Prepare: decomposed é, a letter and a combining mark
    const text = 'e\u0301'.repeat(10);

    // Act
    const pieces = splitSentences(text, { maxInput: 5, unit: 'characters' });

    // Assess
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(5);
      expect(piece).not.toMatch(/^\p{M}/u);
    }
    expect(pieces.join('')).toBe(text);
  });

  it('returns a character wider than the limit on its own rather than loop or return nothing', () => {
    expect(splitSentences('éé', { maxInput: 1, unit: 'bytes' })).toEqual(['é', 'é']);
  });
});

describe('normaliseSentence', () => {
  it('composes to NFC, so the same sentence typed two ways is one cache key', () => {
    expect(normaliseSentence('Shante\u0301 says hi.')).toBe(normaliseSentence('Shant\u00e9 says hi.'));
    expect(normaliseSentence('Shante\u0301 says hi.')).toBe('Shant\u00e9 says hi.');
  });

  it('collapses whitespace of every kind and trims', () => {
    expect(normaliseSentence('  Try\u00a0the\n\tGelato.  ')).toBe('Try the Gelato.');
  });

  it('keeps case, which changes intonation', () => {
    expect(normaliseSentence('WOW. Nice.')).not.toBe(normaliseSentence('wow. nice.'));
    expect(normaliseSentence('WOW.')).toBe('WOW.');
  });
});
