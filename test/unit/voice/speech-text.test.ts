// Unit tests for turning budtender chat replies into the words a voice reads aloud.
import { describe, expect, it } from 'vitest';
import { prepareForSpeech } from '../../../functions/voice/speech-text.ts';

const MARCEL_MENU = `## Tonight's picks 🌙

Here's what I'd pour for you:

1. **Blue Dream** — $35/eighth, 18% THC 🌿
2. *Sour Diesel* (about 2 grams left): $4.50 a pre-roll
3. Dr. Greenthumb's OG, 5-10mg gummies

| Strain | THC | Price |
| --- | --- | --- |
| Blue Dream | 18% | $35 |
| OG Kush | 22% | $40 |

Full menu: https://greenleaf.example.com/menu?store=denver`;

const ZAC_HYPE =
  "Yo!! 🔥🔥 Bro, you gotta try **Wedding Cake** 🎂💨 — it's like 25% THC 😤👌🏽 *laughs* " +
  'Grab an eighth for $35 at https://greenleaf.example/menu 🙌';

const SHANTE_CALM =
  "Mmm, *Dr. Greenthumb's* Gelato. (sighs) A classic, truly... Start with 2.5g, e.g. one small bowl, and wait.";

describe('prepareForSpeech: realistic replies', () => {
  it('reads a markdown menu as sentences, prices and doses in words, the URL gone', () => {
    // Act
    const spoken = prepareForSpeech(MARCEL_MENU);

    // Assess
    expect(spoken).toBe(
      "Tonight's picks. Here's what I'd pour for you: " +
        'Blue Dream — 35 dollars per eighth, 18 percent THC. ' +
        'Sour Diesel (about 2 grams left): 4 dollars and 50 cents a pre-roll. ' +
        "Doctor Greenthumb's OG, 5 to 10 milligrams gummies. " +
        'Strain, THC, Price. Blue Dream, 18 percent, 35 dollars. OG Kush, 22 percent, 40 dollars. ' +
        'Full menu:',
    );
  });

  it('strips the emoji, the stage direction and the link from an excited reply', () => {
    expect(prepareForSpeech(ZAC_HYPE)).toBe(
      "Yo!! Bro, you gotta try Wedding Cake — it's like 25 percent THC Grab an eighth for 35 dollars at",
    );
  });

  it('keeps a calm reply’s words while dropping the sigh and spelling out the dose', () => {
    expect(prepareForSpeech(SHANTE_CALM)).toBe(
      "Mmm, Doctor Greenthumb's Gelato. A classic, truly… Start with 2 point 5 grams, for example one small bowl, and wait.",
    );
  });

  it.each([
    MARCEL_MENU,
    ZAC_HYPE,
    SHANTE_CALM,
    'We are at 420 Main St. Come by, e.g. at 4:20 w/ friends etc.',
  ])('is idempotent: preparing prepared text changes nothing (%#)', (reply) => {
    // Prepare
    const once = prepareForSpeech(reply);

    // Act
    const twice = prepareForSpeech(once);

    // Assess
    expect(once).not.toBe('');
    expect(twice).toBe(once);
  });

  it.each([
    ['emoji only', '🔥🔥🔥 💨👌🏽'],
    ['markup only', '---\n\n**  **\n\n```\nconst x = 1;\n```'],
    ['a URL and an emoji', 'https://greenleaf.example.com/menu 🙌'],
    ['a stage direction', '*laughs*'],
    ['whitespace', ' \n\t '],
  ])('prepares a reply of %s to the empty string', (_name, reply) => {
    expect(prepareForSpeech(reply)).toBe('');
  });
});

describe('prepareForSpeech: markdown', () => {
  it.each([
    ['fenced code blocks', 'Run this:\n```bash\nnpm install\n```\nThen relax.', 'Run this: Then relax.'],
    ['tilde fences', 'Look:\n~~~\ncode\n~~~\nDone.', 'Look: Done.'],
    ['an unclosed fence to the end', 'Before.\n```\nnever closed', 'Before.'],
    ['indented code after a blank line', 'Example:\n\n    const dose = 5;\n\nEnjoy.', 'Example: Enjoy.'],
    [
      'inline code backticks, keeping the text',
      'Type `Blue Dream` or ``OG Kush`` here.',
      'Type Blue Dream or OG Kush here.',
    ],
    ['ATX headings', '# Indica\n### Relaxing ###\nGreat for sleep.', 'Indica. Relaxing. Great for sleep.'],
    ['setext heading underlines', 'Sativas\n=======\nUplifting.', 'Sativas. Uplifting.'],
    ['bold and italic', '**Bold**, __strong__, *soft* and _light_.', 'Bold, strong, soft and light.'],
    ['bold italic', '***Really*** nice.', 'Really nice.'],
    ['strikethrough, the struck text with it', 'Now ~~$40~~ $35.', 'Now 35 dollars.'],
    ['blockquote markers', '> A quote.\n> > Nested.', 'A quote. Nested.'],
    ['bullets', '- Flower\n* Edibles\n+ Vapes\n• Tinctures', 'Flower. Edibles. Vapes. Tinctures'],
    ['numbers', '1. Grind\n2) Pack\n3. Light', 'Grind. Pack. Light'],
    ['task boxes', '- [ ] Pick a strain\n- [x] Show ID', 'Pick a strain. Show ID'],
    ['horizontal rules', 'One.\n\n---\n\n***\n\n___\n\nTwo.', 'One. Two.'],
    [
      'links, keeping their text',
      'See [our menu](https://x.example/menu "Menu") today.',
      'See our menu today.',
    ],
    [
      'reference links and their definitions',
      'See [the menu][m].\n\n[m]: https://x.example/menu',
      'See the menu.',
    ],
    ['images', 'Look ![Blue Dream bud](https://x.example/bud.png) nice.', 'Look nice.'],
    ['autolinks', 'Order at <https://x.example/order>.', 'Order at.'],
    [
      'bare URLs, with the stop left dangling',
      'Menu: https://x.example/menu?a=1&b=2. Enjoy!',
      'Menu: Enjoy!',
    ],
    ['a URL ending a sentence', 'Order at https://x.example/order. Thanks!', 'Order at. Thanks!'],
    ['www addresses', 'Visit www.greenleaf.example/deals for more.', 'Visit for more.'],
    ['HTML tags, keeping their text', 'It is <b>strong</b>.<br/>Go slow.', 'It is strong. Go slow.'],
  ])('handles %s', (_name, reply, spoken) => {
    expect(prepareForSpeech(reply)).toBe(spoken);
  });

  it('keeps underscores inside words such as snake_case', () => {
    expect(prepareForSpeech('The field is blue_dream_og, not _that_.')).toBe(
      'The field is blue_dream_og, not that.',
    );
  });

  it('reads a table row by row, cells separated, the separator row gone', () => {
    // Prepare
    const table = 'Strain | Price\n:--- | ---:\nGelato | $45\nRunts | $50';

    // Act
    const spoken = prepareForSpeech(table);

    // Assess
    expect(spoken).toBe('Strain, Price. Gelato, 45 dollars. Runts, 50 dollars');
    expect(spoken).not.toContain('|');
    expect(spoken).not.toContain('-');
  });

  it('ends a list item with a full stop only where it ends, not inside its continuation', () => {
    expect(prepareForSpeech('- Blue Dream is\n  a hybrid\n- Gelato')).toBe('Blue Dream is a hybrid. Gelato');
  });

  it('keeps the punctuation a list item already has', () => {
    expect(prepareForSpeech('- Is it strong?\n- Very!\n- Enjoy')).toBe('Is it strong? Very! Enjoy');
  });

  it('reads an e-mail address aloud rather than dropping it', () => {
    expect(prepareForSpeech('Write to orders@greenleaf.example.com or <mailto:help@greenleaf.co>.')).toBe(
      'Write to orders at greenleaf dot example dot com or help at greenleaf dot co.',
    );
  });

  it('decodes HTML entities before reading', () => {
    expect(prepareForSpeech('Flower &amp; edibles, &quot;fresh&quot;')).toBe('Flower and edibles, "fresh"');
  });
});

describe('prepareForSpeech: emoji and emoticons', () => {
  it.each([
    ['single emoji', 'Nice 🔥 pick 🌿', 'Nice pick'],
    ['skin tones', 'Cheers 👍🏽 👋🏿', 'Cheers'],
    ['ZWJ sequences', 'Family 👨‍👩‍👧 and couple 👩‍❤️‍👨 and farmer 🧑🏾‍🌾', 'Family and couple and farmer'],
    ['flags', 'Shipped from 🇺🇸 and 🇨🇦', 'Shipped from and'],
    ['subdivision flags', 'Go 🏴󠁧󠁢󠁳󠁣󠁴󠁿 team', 'Go team'],
    ['keycaps, keeping plain digits', 'Step 1️⃣ then #️⃣ and 2 3', 'Step then and 2 3'],
    ['variation selectors', 'Love it ❤️ ☺︎', 'Love it'],
    ['an emoji glued to words', 'Nice🔥pick', 'Nice pick'],
    ['emoji left between full stops', 'Nice. 🔥. Enjoy.', 'Nice. Enjoy.'],
    ['emoticons', 'Great :) sure :-) ok ;) yes :D :P xD <3 ^_^ :( bye', 'Great sure ok yes bye'],
    ['an emoticon glued to a word', 'thanks:) see you', 'thanks see you'],
    ['the shrug', 'Who knows ¯\\_(ツ)_/¯', 'Who knows'],
  ])('removes %s', (_name, reply, spoken) => {
    expect(prepareForSpeech(reply)).toBe(spoken);
  });

  it('leaves times, colons and joiners of other scripts alone', () => {
    expect(prepareForSpeech('Open till 4:20. Note: ID needed. क्\u200Dष')).toBe(
      'Open till 4:20. Note: ID needed. क्\u200Dष',
    );
  });
});

describe('prepareForSpeech: stage directions', () => {
  it.each([
    ['asterisks', 'Oh man *laughs* that one hits.', 'Oh man that one hits.'],
    ['underscores', '_sighs_ Fine, the Gelato.', 'Fine, the Gelato.'],
    ['parentheses', 'Good choice (laughs).', 'Good choice.'],
    ['brackets', '[chuckles] You know it.', 'You know it.'],
    ['angle brackets', '<whispers> This one is strong.', 'This one is strong.'],
    ['capitalised', '*Giggles* Okay.', 'Okay.'],
    ['-ing forms', 'Well (smiling) yes.', 'Well yes.'],
    ['doubled consonants', '*nodding* Exactly.', 'Exactly.'],
    ['known phrases', '(clears throat) Anyway.', 'Anyway.'],
    ['two or three words', '*winks at you* Enjoy.', 'Enjoy.'],
    ['an unlisted lowercase action standing alone', '*adjusts glasses* Okay, so.', 'Okay, so.'],
    ['several in a row', '*laughs* *snorts* Sorry.', 'Sorry.'],
  ])('removes an action in %s', (_name, reply, spoken) => {
    expect(prepareForSpeech(reply)).toBe(spoken);
  });

  it.each([
    ['emphasis inside a sentence', 'This is *really* good.', 'This is really good.'],
    ['emphasis at the start of a sentence', '*Really* good stuff.', 'Really good stuff.'],
    ['lowercase emphasis at the start running on', '*always* start low.', 'always start low.'],
    [
      'a parenthetical with a number',
      'A gram (about 2 grams for two) is plenty.',
      'A gram (about 2 grams for two) is plenty.',
    ],
    ['a one-word parenthetical that is no action', 'Try flower (buds) first.', 'Try flower (buds) first.'],
    [
      'an action of more than three words',
      'Ha (laughs at my own joke) yes.',
      'Ha (laughs at my own joke) yes.',
    ],
    ['a bracketed word that is no action', 'Check [Gelato] again.', 'Check [Gelato] again.'],
  ])('keeps the words of %s', (_name, reply, spoken) => {
    expect(prepareForSpeech(reply)).toBe(spoken);
  });
});

describe('prepareForSpeech: abbreviations', () => {
  it.each([
    ["Dr. Greenthumb's", "Ask Dr. Greenthumb's crew.", "Ask Doctor Greenthumb's crew."],
    ['Mr.', 'Mr. Nice is in.', 'Mister Nice is in.'],
    ['Mrs.', 'Mrs. Lee loves it.', 'Missus Lee loves it.'],
    ['Ms.', 'Ms. Jane is here.', 'Miz Jane is here.'],
    ['St. before a name', 'St. Louis has shops.', 'Saint Louis has shops.'],
    ['St. after a sentence-opening verb', 'Visit St. Louis soon.', 'Visit Saint Louis soon.'],
    [
      'St. after a number and name, ending the sentence',
      'We are at 420 Main St. Come by!',
      'We are at 420 Main Street. Come by!',
    ],
    ['St. after a name, mid-sentence', 'The shop on Elm St. is open.', 'The shop on Elm Street is open.'],
    ['St. before a comma', 'At 9 Oak St., Denver.', 'At 9 Oak Street, Denver.'],
    ['e.g.', 'Sativas, e.g. Jack Herer, lift you.', 'Sativas, for example Jack Herer, lift you.'],
    ['i.e.', 'Low dose, i.e. 2 mg.', 'Low dose, that is 2 milligrams.'],
    ['etc. mid-sentence', 'Gummies, mints, etc. are here.', 'Gummies, mints, et cetera are here.'],
    ['etc. ending a sentence', 'Gummies, mints, etc. Ask me!', 'Gummies, mints, et cetera. Ask me!'],
    ['vs.', 'Indica vs. sativa.', 'Indica versus sativa.'],
    ['approx.', 'It is approx. 3 g.', 'It is approximately 3 grams.'],
    ['w/', 'Pair it w/ tea, w/honey.', 'Pair it with tea, with honey.'],
    ['w/o', 'Edibles w/o sugar.', 'Edibles without sugar.'],
  ])('reads %s', (_name, reply, spoken) => {
    expect(prepareForSpeech(reply)).toBe(spoken);
  });
});

describe('prepareForSpeech: numbers, units and symbols', () => {
  it.each([
    ['10mg', '10 milligrams'],
    ['10 mg', '10 milligrams'],
    ['1 mg', '1 milligram'],
    ['10MG', '10 milligrams'],
    ['3.5g', '3 point 5 grams'],
    ['1g', '1 gram'],
    ['1 kg', '1 kilogram'],
    ['2 oz', '2 ounces'],
    ['1 oz', '1 ounce'],
    ['1/8 oz', 'one eighth ounce'],
    ['500 ml', '500 milliliters'],
    ['2 lbs', '2 pounds'],
    ['100 mcg', '100 micrograms'],
    ['10mg/ml', '10 milligrams per milliliter'],
    ['5-10mg', '5 to 10 milligrams'],
    ['1–2 grams', '1 to 2 grams'],
    ['18%', '18 percent'],
    ['20-25% THC', '20 to 25 percent THC'],
    ['1:1 THC:CBD', '1:1 THC:CBD'],
    ['$20', '20 dollars'],
    ['$1', '1 dollar'],
    ['$4.50', '4 dollars and 50 cents'],
    ['$1.01', '1 dollar and 1 cent'],
    ['$0.99', '99 cents'],
    ['$20.00', '20 dollars'],
    ['$1,200', '1,200 dollars'],
    ['$20-30', '20 to 30 dollars'],
    ['$20 to $30', '20 to 30 dollars'],
    ['$35/eighth', '35 dollars per eighth'],
    ['2.5', '2 point 5'],
    ['0.25', '0 point 2 5'],
    ['24/7', '24 7'],
    ['4/20', '4 20'],
    ['~5g', 'about 5 grams'],
    ['R&D', 'R and D'],
    ['flower & edibles', 'flower and edibles'],
    ['CBD+THC', 'CBD plus THC'],
    ['indica + sativa', 'indica plus sativa'],
    ['21+', '21 plus'],
  ])('reads %s as %s', (written, spoken) => {
    expect(prepareForSpeech(written)).toBe(spoken);
  });

  it.each([
    ['times', 'Doors at 4:20 and 9:45.'],
    ['ordinals', 'My 1st, 2nd, 3rd and 4th picks.'],
    ['THC and CBD', 'High THC, low CBD.'],
    ['version numbers', 'App 1.2.3 is out.'],
    ['phone numbers', 'Call 555-1234 now.'],
    ['dates', 'Closed 12/25 and 1/1/2026.'],
    ['a plain range with no unit', 'Pick 3-4 strains.'],
    ['a word that starts like a unit', 'Get 10 gummies, 2 good ones.'],
  ])('leaves %s as written', (_name, reply) => {
    expect(prepareForSpeech(reply)).toBe(reply);
  });

  it.each([
    ['three dots', 'Hmm... okay', 'Hmm… okay'],
    ['two dots', 'Well.. sure', 'Well… sure'],
    ['spaced dots', 'Wait. . . what', 'Wait… what'],
    ['repeated ellipses', 'So……', 'So…'],
  ])('normalises an ellipsis written as %s', (_name, reply, spoken) => {
    expect(prepareForSpeech(reply)).toBe(spoken);
  });
});

describe('prepareForSpeech: languages and whitespace', () => {
  it('keeps numbers, symbols and words of a French reply, removing only markup, emoji and actions', () => {
    // Prepare
    const reply = 'Bonjour ! 🌿 Le **Blue Dream** coûte 35 $ — 2,5 g & 18 % THC. *rit* Voir https://x.fr';

    // Act
    const spoken = prepareForSpeech(reply, { language: 'fr-FR' });

    // Assess
    expect(spoken).toBe('Bonjour! Le Blue Dream coûte 35 $ — 2,5 g & 18 % THC. Voir');
  });

  it('keeps English decimals, units and abbreviations as written in German', () => {
    expect(prepareForSpeech('Dr. Müller empfiehlt 2.5g für $35.', { language: 'de' })).toBe(
      'Dr. Müller empfiehlt 2.5g für $35.',
    );
  });

  it('treats any English region as English', () => {
    expect(prepareForSpeech('Only $5 for 1g.', { language: 'en-GB' })).toBe('Only 5 dollars for 1 gram.');
  });

  it('collapses whitespace and trims', () => {
    expect(prepareForSpeech('  Hello\u00a0there,\t\tfriend.\u200b  \n')).toBe('Hello there, friend.');
  });

  it('returns NFC text', () => {
    expect(prepareForSpeech('Shante\u0301 says hi.')).toBe('Shant\u00e9 says hi.');
  });
});
