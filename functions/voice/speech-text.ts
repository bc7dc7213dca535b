// Turns a chat reply into what a voice should say: markup, emoji, links and stage directions out, numbers in words.

export interface SpeechTextOptions {
  /** BCP 47 tag of the reply. Wording of numbers, units and abbreviations is English; other languages keep theirs. */
  language?: string;
}

interface Line {
  text: string;
  /** Starts a block of its own (heading, list item, table row), so the line before it ends one. */
  opens: boolean;
  /** Is a block on its own line (heading, table row), so it ends where the line ends. */
  closes: boolean;
}

const BLANK: Line = { text: '', opens: false, closes: false };
const NUM = String.raw`(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?`;
const NOT_AFTER_NUMBER = String.raw`(?<![\p{L}\p{N}_.,/$])`;
const TERMINAL = /[.!?…:;,]["'”’)\]]*$/u;

/** Short actions a model writes as stage directions; matched on the first word in any of its verb forms. */
const ACTION_VERBS = new Set(
  (
    'laugh chuckle giggle snicker snort cackle sigh smile grin smirk wink nod shrug cough whisper gasp pause ' +
    'lean inhale exhale yawn hum sniff blush wave clap gulp groan scoff wince blink puff beam mutter mumble ' +
    'grunt wheeze hiccup'
  ).split(' '),
);
const ACTION_PHRASES = new Set(
  (
    'clears throat|clears his throat|clears her throat|rolls eyes|rolls his eyes|rolls her eyes|shakes head|' +
    'raises eyebrow|raises an eyebrow|takes a hit|takes a puff|dramatic pause'
  ).split('|'),
);

/** Unit names in the singular; every plural here is regular. */
const UNITS: Record<string, string> = {
  mg: 'milligram',
  mcg: 'microgram',
  g: 'gram',
  kg: 'kilogram',
  oz: 'ounce',
  ml: 'milliliter',
  lb: 'pound',
  lbs: 'pound',
};
const UNIT_WORDS = String.raw`mg|mcg|kg|ml|oz|lbs|lb|g|milligrams?|grams?|ounces?`;
const FRACTIONS: Record<string, string> = {
  '1/2': 'one half',
  '1/4': 'one quarter',
  '3/4': 'three quarters',
  '1/8': 'one eighth',
  '1/16': 'one sixteenth',
  // Said as two numbers, not as a fraction or a date.
  '24/7': '24 7',
  '4/20': '4 20',
};

const EMOJI = new RegExp(
  [
    String.raw`[0-9#*]\uFE0F?\u20E3`,
    String.raw`\p{Regional_Indicator}`,
    String.raw`\p{Extended_Pictographic}(?:[\uFE0E\uFE0F]|\p{Emoji_Modifier}|[\u{E0020}-\u{E007F}])*` +
      String.raw`(?:\u200D\p{Extended_Pictographic}(?:[\uFE0E\uFE0F]|\p{Emoji_Modifier})*)*`,
    // Leftover selectors and skin tones; a lone zero-width joiner stays, as Indic and Arabic scripts need it.
    String.raw`[\uFE0E\uFE0F\u20E3]|\p{Emoji_Modifier}`,
  ].join('|'),
  'gu',
);
const EMOTICON =
  /(?<=^|\s)(?:[:;=][-'^]?[)(\][dDpPoO3/\\|*]+|<\/?3+|\^[_.-]?\^|[xX]D+|T_T|¯\\_\(ツ\)_\/¯)(?=$|\s|[.,!?)\]])|(?<=\p{L})[:;]-?[)(](?=$|\s|[.,!?])/gu;
const URL = /(?:\b(?:https?|ftp):\/\/|\bwww\.)[^\s<>]*?(?=[.,;:!?'"”’)\]]*(?:[\s<>]|$))/giu;
const EMAIL = /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;

export function prepareForSpeech(text: string, options: SpeechTextOptions = {}): string {
  const english = options.language === undefined || /^en(?:[-_]|$)/i.test(options.language);
  const source = decodeEntities(text.normalize('NFC'))
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00AD\u200B\u2060\uFEFF]/g, '');
  const lines = readBlocks(source.split('\n')).map((line) => ({
    ...line,
    text: tidy(speakLine(line.text, english)),
  }));
  return tidy(joinBlocks(lines));
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_m, name: string) => named[name] ?? "'");
}

const LIST_MARKER = /^\s*(?:[-*+•]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?/;

/** Strips block markup line by line; code, rules, table separators and link definitions become blank lines. */
function readBlocks(raw: string[]): Line[] {
  const lines: Line[] = [];
  const table = tableRows(raw);
  let fence: string | undefined;
  let inList = false;
  for (const [index, original] of raw.entries()) {
    const opening = /^ {0,3}(`{3,}|~{3,})/.exec(original)?.[1];
    if (fence !== undefined || opening !== undefined) {
      // A fence closes on its own character, at least as long, alone on a line; an unclosed one runs to the end.
      const closing =
        fence !== undefined && original.trim().startsWith(fence) && /^\s*(`+|~+)\s*$/.test(original);
      fence = fence === undefined ? opening : closing ? undefined : fence;
      lines.push(BLANK);
      continue;
    }
    const line = original.replace(/^ {0,3}(?:> ?)+/, '');
    // Indented code follows a blank line; indented lines inside a list continue its item instead.
    const afterBlank = (lines[index - 1]?.text ?? '') === '';
    const skipped =
      (/^(?: {4}|\t)/.test(original) && afterBlank && !inList && !LIST_MARKER.test(original)) ||
      table[index] === 'separator' ||
      /^ {0,3}\[[^\]]+\]:\s*\S/.test(original) ||
      /^\s*(?:([-*_])(?:\s*\1){2,}|=+)?\s*$/.test(line);
    if (skipped) {
      lines.push(BLANK);
      continue;
    }
    const item = LIST_MARKER.exec(line);
    inList = item !== null || (inList && /^\s/.test(line));
    lines.push(readLine(line, table[index] === 'row', item));
  }
  return lines;
}

function readLine(line: string, tableRow: boolean, item: RegExpExecArray | null): Line {
  if (tableRow) {
    const cells = line.replace(/^\s*\||\|\s*$/g, '').split(/(?<!\\)\|/);
    const text = cells.flatMap((cell) => (cell.trim() === '' ? [] : [cell.trim()])).join(', ');
    return { text, opens: true, closes: true };
  }
  const heading = /^ {0,3}#{1,6}(?:\s+|$)/.exec(line);
  if (heading)
    return { text: line.slice(heading[0].length).replace(/\s+#+\s*$/, ''), opens: true, closes: true };
  return { text: item ? line.slice(item[0].length) : line, opens: item !== null, closes: false };
}

/** A table is a header row, a separator row of dashes, and the rows with pipes below it. */
function tableRows(raw: string[]): ('row' | 'separator' | undefined)[] {
  const kinds: ('row' | 'separator' | undefined)[] = raw.map((line) =>
    /^\s*\|.*\|\s*$/.test(line) ? 'row' : undefined,
  );
  const separator = /^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$/;
  raw.forEach((line, index) => {
    if (!separator.test(line) || !(raw[index - 1] ?? '').includes('|')) return;
    kinds[index] = 'separator';
    kinds[index - 1] = 'row';
    for (let next = index + 1; (raw[next] ?? '').includes('|'); next += 1) kinds[next] = 'row';
  });
  return kinds;
}

/** Lines are joined into one paragraph; a list item or heading without closing punctuation gets a full stop,
 * so the voice drops its pitch between items instead of running them together. The reply's end needs none. */
function joinBlocks(lines: Line[]): string {
  const spoken: string[] = [];
  lines.forEach((line, index) => {
    if (line.text === '') return;
    const rest = lines.slice(index + 1);
    const next = rest[0];
    const last = rest.every((l) => l.text === '');
    const ends = line.closes || next === undefined || next.text === '' || next.opens;
    spoken.push(ends && !last && !TERMINAL.test(line.text) ? `${line.text}.` : line.text);
  });
  return spoken.join(' ');
}

function speakLine(line: string, english: boolean): string {
  let text = line
    .replace(/\s+/g, ' ')
    .replace(/(`+)(.+?)\1(?!`)/g, (_m, _ticks: string, code: string) => code.trim())
    .replace(/`/g, '')
    .replace(/!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])/g, ' ')
    .replace(/\[([^\]]*)\](?:\([^)\s]*(?:\s+(?:"[^"]*"|'[^']*'))?\)|\[[^\]]*\])/g, '$1')
    .replace(/<(?:https?|ftp):\/\/[^>\s]*>/gi, ' ')
    .replace(/<mailto:([^>\s]+)>/gi, '$1')
    .replace(URL, ' ')
    .replace(EMAIL, (email) => (english ? email.replace(/@/g, ' at ').replace(/\./g, ' dot ') : email))
    .replace(/\.{2,}|(?:\. ){2,}\.|…+/g, '…')
    .replace(EMOTICON, ' ')
    .replace(EMOJI, ' ')
    .replace(/\s+/g, ' ');
  text = removeStageDirections(text)
    .replace(/<\/?[A-Za-z][\w-]*(?:\s[^<>]*)?\/?>/g, ' ')
    .replace(/~~(?=\S)(.*?\S)~~/g, ' ')
    .replace(/\*\*(?=\S)(.*?\S)\*\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}])__(?=\S)(.*?\S)__(?![\p{L}\p{N}])/gu, '$1')
    .replace(/\*(?=\S)(.*?\S)\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])_(?=\S)(.*?\S)_(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/\*+|~~+/g, ' ')
    .replace(/\\(?=[\\`*_{}[\]()#+\-.!|~<>])/g, '');
  return english ? speakEnglish(text) : text;
}

/** `*laughs*`, `(sighs)`, `[chuckles]`, `<whispers>`: short actions the model acts out rather than says. */
function removeStageDirections(text: string): string {
  const isolated = (whole: string, start: number, end: number): boolean =>
    endsSentence(wordBefore(whole, start).word) &&
    /^(?:\s*$|\s*[.,!?…;:]|\s+[\p{Lu}*_(<[])/u.test(whole.slice(end));
  const replace = (pattern: RegExp, starred: boolean) => (input: string) =>
    input.replace(pattern, (match: string, inner: string, offset: number, whole: string) => {
      // A lowercase aside standing on its own between sentences is an action even if its verb is not listed;
      // inside a sentence only a listed action is, so "*really* good" keeps its word.
      const aside = starred && /^\p{Ll}/u.test(inner) && isolated(whole, offset, offset + match.length);
      return isAction(inner, aside) ? ' ' : match;
    });
  return [
    replace(/(?<![*\\])\*(?![*\s])([^*\n]{1,40}?)(?<!\s)\*(?!\*)/gu, true),
    replace(/(?<![\p{L}\p{N}_])_(?![_\s])([^_\n]{1,40}?)(?<!\s)_(?![\p{L}\p{N}_])/gu, true),
    replace(/\(([^()\n]{1,40})\)/gu, false),
    replace(/\[([^[\]\n]{1,40})\]/gu, false),
    replace(/<([^<>\n]{1,40})>/gu, false),
  ].reduce((current, step) => step(current), text);
}

function isAction(inner: string, aside: boolean): boolean {
  const words = inner.trim().split(/\s+/u);
  const first = words[0]?.toLowerCase() ?? '';
  if (words.length > 3 || !words.every((w) => /^[\p{L}'’-]+$/u.test(w))) return false;
  if (aside && inner === inner.toLowerCase()) return true;
  if (ACTION_PHRASES.has(words.join(' ').toLowerCase())) return true;
  const stems = [first, first.replace(/s$/, ''), first.replace(/es$/, ''), first.replace(/ing$/, '')];
  stems.push(first.replace(/ing$/, 'e'), first.replace(/(\p{L})\1ing$/u, '$1'));
  return stems.some((stem) => ACTION_VERBS.has(stem));
}

function speakEnglish(text: string): string {
  return text
    .replace(/\b(Dr|Mr|Mrs|Ms)\.(?=\s+\p{L})/gu, (_m, title: string) => TITLES[title] ?? title)
    .replace(/(?<![\p{L}\p{N}])St\./gu, saintOrStreet)
    .replace(/\betc\b(\.?)(?=\s*(.?))/giu, (_m, dot: string, next: string) =>
      dot !== '' && (next === '' || /\p{Lu}/u.test(next)) ? 'et cetera.' : 'et cetera',
    )
    .replace(/(?<!\p{L})e\.g\.?(?!\p{L})/giu, 'for example')
    .replace(/(?<!\p{L})i\.e\.?(?!\p{L})/giu, 'that is')
    .replace(/\bvs\b\.?/giu, 'versus')
    .replace(/\bapprox\b\.?/giu, 'approximately')
    .replace(/(?<![\p{L}\p{N}/])w\/o(?!\p{L})/giu, 'without')
    .replace(/(?<![\p{L}\p{N}/])w\/\s?(?=[\p{L}\p{N}])/giu, 'with ')
    .replace(/(?<![\p{L}\p{N}~])~\s?(?=[$\d])/gu, 'about ')
    .replace(
      new RegExp(String.raw`\$\s?(${NUM})(?:(?:\s*[-–]\s*|\s+to\s+)\$?(${NUM}))?(?!\d)(?:\/(\p{L}+))?`, 'gu'),
      (_m, from: string, to: string | undefined, per: string | undefined) => money(from, to) + perUnit(per),
    )
    .replace(
      new RegExp(
        `${NOT_AFTER_NUMBER}(\\d+\\/\\d+|${NUM})(?:\\s?[-–]\\s?(${NUM}))?\\s?(${UNIT_WORDS})(?![\\p{L}\\p{N}])(?:\\/(\\p{L}+))?`,
        'giu',
      ),
      (_m, from: string, to: string | undefined, unit: string, per: string | undefined) => {
        const last = to ?? from;
        const range = to === undefined ? from : `${from} to ${to}`;
        return `${range} ${unitName(unit, last === '1' || last.includes('/'))}${perUnit(per)}`;
      },
    )
    .replace(
      new RegExp(`${NOT_AFTER_NUMBER}(${NUM})(?:\\s?%?\\s?[-–]\\s?(${NUM}))?\\s?%`, 'gu'),
      (_m, a, b) => (b === undefined ? `${a} percent` : `${a} to ${b} percent`),
    )
    .replace(/(?<![\p{N}/])\d+\/\d+(?![\p{N}/])/gu, (fraction) => FRACTIONS[fraction] ?? fraction)
    .replace(
      /(?<![\p{N}.,])(\d{1,3}(?:,\d{3})+|\d+)\.(\d+)(?!\.\d)/gu,
      (_m, whole: string, digits: string) =>
        // Digit by digit, as people say decimals, and no dot left for a sentence splitter to stop at.
        `${whole} point ${[...digits].join(' ')}`,
    )
    .replace(/\s*&\s*/g, ' and ')
    .replace(/(?<=[\p{L}\p{N}])(?:\+| \+ )(?=[\p{L}\p{N}])/gu, ' plus ')
    .replace(/(?<=\d)\+(?![\p{L}\p{N}])/gu, ' plus');
}

const TITLES: Record<string, string> = { Dr: 'Doctor', Mr: 'Mister', Mrs: 'Missus', Ms: 'Miz' };

/** "St. Louis" is Saint; "420 Main St." and "on Elm St." are Street, keeping the stop if a sentence ends there. */
function saintOrStreet(match: string, offset: number, whole: string): string {
  const before = wordBefore(whole, offset);
  const previous = before.end < offset ? before.word : '';
  const sentenceStart = endsSentence(wordBefore(whole, before.start).word);
  const next = /^\s*(\S?)/u.exec(whole.slice(offset + match.length))?.[1] ?? '';
  const afterName = /^\p{N}/u.test(previous) || (/^\p{Lu}/u.test(previous) && !sentenceStart);
  if (!afterName && /\p{Lu}/u.test(next)) return 'Saint';
  if (!afterName && !/^\p{Lu}/u.test(previous)) return match;
  return next === '' || /\p{Lu}/u.test(next) ? 'Street.' : 'Street';
}

function money(from: string, to: string | undefined): string {
  if (to === undefined) return dollars(from);
  const whole = (n: string) => !n.includes('.') || /\.0+$/.test(n);
  return whole(from) && whole(to)
    ? `${from.replace(/\..*/, '')} to ${dollars(to)}`
    : `${dollars(from)} to ${dollars(to)}`;
}

/** "$4.50" is "4 dollars and 50 cents"; more than two decimals is left to the decimal rule. */
function dollars(amount: string): string {
  const [whole = '0', fraction = ''] = amount.split('.');
  const name = whole === '1' ? 'dollar' : 'dollars';
  if (/^0*$/.test(fraction)) return `${whole} ${name}`;
  if (fraction.length > 2) return `${amount} dollars`;
  const cents = Number(fraction.padEnd(2, '0'));
  const centWords = `${cents} ${cents === 1 ? 'cent' : 'cents'}`;
  return /^0+$/.test(whole) ? centWords : `${whole} ${name} and ${centWords}`;
}

function unitName(unit: string, singular: boolean): string {
  const one = UNITS[unit.toLowerCase()] ?? unit.replace(/s$/i, '');
  return singular ? one : `${one}s`;
}

function perUnit(per: string | undefined): string {
  return per === undefined ? '' : ` per ${unitName(per, true)}`;
}

/** The word before `index`, spaces between skipped; scanned backwards so long replies stay linear. */
function wordBefore(text: string, index: number): { word: string; start: number; end: number } {
  let end = index;
  while (end > 0 && /\s/u.test(text[end - 1] ?? '')) end -= 1;
  let start = end;
  while (start > 0 && !/\s/u.test(text[start - 1] ?? '')) start -= 1;
  return { word: text.slice(start, end), start, end };
}

/** True for the start of the text ('') or a word closing a sentence, such as "Hi." or "right?”". */
function endsSentence(word: string): boolean {
  return word === '' || /[.!?…]["'”’)]*$/u.test(word);
}

/** Cleans what the removals leave behind: empty brackets, stray or doubled punctuation, runs of spaces. */
function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/\(\s*\)|\[\s*\]|"\s*"|“\s*”/g, ' ')
    .replace(/([([])\s+/g, '$1')
    .replace(/\s+([)\]])/g, '$1')
    .replace(/([.!?…,;:])(?:\s+[.,;:!?](?=\s|$))+/g, '$1')
    .replace(/\s+([.,;:!?])(?=\s|$)/g, '$1')
    .replace(/\s+/g, ' ')
    .replace(/^[\s,;:.!?]+(?!\d)/, '')
    .trim();
}
