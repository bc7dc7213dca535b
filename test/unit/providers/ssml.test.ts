// SSML building shared by the Google and Polly adapters: escaping, phoneme wrapping, prosody, and no SDK imports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Pronunciation } from '../../../functions/providers/tts/port.ts';
import {
  escapeXml,
  phonemeSsmlBody,
  ssmlDocument,
  usablePhonemes,
} from '../../../functions/providers/tts/ssml.ts';

describe('escapeXml', () => {
  it('escapes the five XML special characters and leaves the rest alone', () => {
    // Act
    const escaped = escapeXml(`Tom & Jerry <3 "cheese" at Nguyen's > é`);

    // Assess
    expect(escaped).toBe('Tom &amp; Jerry &lt;3 &quot;cheese&quot; at Nguyen&apos;s &gt; é');
  });

  it('escapes an ampersand only once', () => {
    expect(escapeXml('&amp;')).toBe('&amp;amp;');
  });
});

describe('phonemeSsmlBody', () => {
  it('wraps a whole-word grapheme in <phoneme>, ipa unless told otherwise', () => {
    // Prepare
    const phonemes: Pronunciation[] = [{ grapheme: 'tomato', phoneme: 'təˈmɑːtoʊ' }];

    // Act
    const body = phonemeSsmlBody('A tomato, please.', phonemes);

    // Assess
    expect(body).toBe('A <phoneme alphabet="ipa" ph="təˈmɑːtoʊ">tomato</phoneme>, please.');
  });

  it('leaves a grapheme alone inside a longer word, whatever letter, digit or underscore joins it', () => {
    // Prepare
    const phonemes: Pronunciation[] = [{ grapheme: 'nguyen', phoneme: '"wIn', alphabet: 'x-sampa' }];

    // Act
    const body = phonemeSsmlBody('nguyenville nguyen2 _nguyen Nguyen.', phonemes);

    // Assess
    expect(body).toBe(
      'nguyenville nguyen2 _nguyen <phoneme alphabet="x-sampa" ph="&quot;wIn">Nguyen</phoneme>.',
    );
  });

  it('matches case-insensitively, keeping the text as written, unless case_sensitive', () => {
    // Prepare
    const phonemes: Pronunciation[] = [
      { grapheme: 'us', phoneme: 'ˌjuːˈɛs', case_sensitive: true },
      { grapheme: 'sql', phoneme: 'ˈsiːkwəl' },
    ];

    // Act
    const body = phonemeSsmlBody('US and us speak SQL and Sql', phonemes);

    // Assess
    expect(body).toBe(
      'US and <phoneme alphabet="ipa" ph="ˌjuːˈɛs">us</phoneme> speak ' +
        '<phoneme alphabet="ipa" ph="ˈsiːkwəl">SQL</phoneme> and <phoneme alphabet="ipa" ph="ˈsiːkwəl">Sql</phoneme>',
    );
  });

  it('escapes the text around and inside a phoneme, and the phoneme attribute', () => {
    // Prepare
    const phonemes: Pronunciation[] = [{ grapheme: "O'Neil", phoneme: `o"ni<l>&'`, alphabet: 'x-sampa' }];

    // Act
    const body = phonemeSsmlBody(`Tom & O'Neil <3`, phonemes);

    // Assess
    expect(body).toBe(
      'Tom &amp; <phoneme alphabet="x-sampa" ph="o&quot;ni&lt;l&gt;&amp;&apos;">O&apos;Neil</phoneme> &lt;3',
    );
  });

  it('takes graphemes literally, regular-expression characters included', () => {
    // Prepare
    const phonemes: Pronunciation[] = [{ grapheme: 'C++', phoneme: 'siː plʌs plʌs' }];

    // Act
    const body = phonemeSsmlBody('C++ is not Cxx', phonemes);

    // Assess
    expect(body).toBe('<phoneme alphabet="ipa" ph="siː plʌs plʌs">C++</phoneme> is not Cxx');
  });

  it('lets the longest grapheme win where two start together, and never nests or overlaps', () => {
    // Prepare
    const phonemes: Pronunciation[] = [
      { grapheme: 'New', phoneme: 'nuː' },
      { grapheme: 'New York', phoneme: 'nuː jɔːrk' },
      { grapheme: 'York', phoneme: 'jɔːrk' },
    ];

    // Act
    const body = phonemeSsmlBody('New York, New Jersey', phonemes);

    // Assess
    expect(body).toBe(
      '<phoneme alphabet="ipa" ph="nuː jɔːrk">New York</phoneme>, <phoneme alphabet="ipa" ph="nuː">New</phoneme> Jersey',
    );
  });

  it('is the escaped text alone when there are no phonemes, or none with a phoneme string', () => {
    // Prepare
    const text = `Fish & chips <b>tonight</b>, isn't it "nice"?`;

    // Act
    const none = phonemeSsmlBody(text, []);
    const aliasOnly = phonemeSsmlBody(text, [{ grapheme: 'chips', alias: 'fries' }]);

    // Assess
    expect(none).toBe(escapeXml(text));
    expect(aliasOnly).toBe(escapeXml(text));
  });
});

describe('usablePhonemes', () => {
  it('keeps only the pronunciations with both a grapheme and a phoneme', () => {
    // Prepare
    const phonemes: Pronunciation[] = [
      { grapheme: 'tomato', phoneme: 'təˈmɑːtoʊ' },
      { grapheme: 'politics', alias: 'policies' },
      { grapheme: '', phoneme: 'x' },
      { grapheme: 'empty', phoneme: '' },
    ];

    // Act / Assess
    expect(usablePhonemes(phonemes)).toEqual([{ grapheme: 'tomato', phoneme: 'təˈmɑːtoʊ' }]);
    expect(usablePhonemes(undefined)).toEqual([]);
  });
});

describe('ssmlDocument', () => {
  it('wraps the body in <speak>, with no <prosody> when there are no attributes', () => {
    expect(ssmlDocument('Tom & Jerry', [])).toBe('<speak>Tom &amp; Jerry</speak>');
  });

  it('puts the body in <prosody> with the attributes in the order given', () => {
    // Act
    const ssml = ssmlDocument('Say US', [{ grapheme: 'US', phoneme: 'ˌjuːˈɛs' }], {
      rate: '80%',
      pitch: '-5%',
    });

    // Assess
    expect(ssml).toBe(
      '<speak><prosody rate="80%" pitch="-5%">Say <phoneme alphabet="ipa" ph="ˌjuːˈɛs">US</phoneme></prosody></speak>',
    );
  });
});

describe('the ssml module', () => {
  it('imports no provider SDK, so neither adapter bundles the other’s', () => {
    // Prepare
    const source = readFileSync(new URL('../../../functions/providers/tts/ssml.ts', import.meta.url), 'utf8');

    // Act
    const imported = [...source.matchAll(/^import .* from '([^']+)';$/gm)].map((match) => match[1]);

    // Assess
    expect(imported).toEqual(['./port.ts']);
  });
});
