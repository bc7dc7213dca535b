// Applies a pronunciation lexicon to prepared text: aliases spelled into it, or phonemes handed on to an SSML provider.
import type { Pronunciation } from '../providers/tts/port.ts';

export interface PronouncedText {
  text: string;
  /** Entries whose word was left in the text for the provider adapter to wrap in SSML `<phoneme>`. */
  phonemes: Pronunciation[];
}

export interface LexiconProblem {
  index: number;
  field: keyof Pronunciation;
  message: string;
}

/** A letter, digit, combining mark or underscore: what a word is made of, in any script. */
const WORD_CHAR = String.raw`[\p{L}\p{N}\p{M}_]`;
const STARTS_WITH_WORD_CHAR = new RegExp(`^${WORD_CHAR}`, 'u');
const ENDS_WITH_WORD_CHAR = new RegExp(`${WORD_CHAR}$`, 'u');

interface Matcher {
  entry: Pronunciation;
  /** The entry's pattern, without flags: its grapheme, literal, with a word boundary after where one is due. */
  source: string;
  /** Starts with a word character, so it matches only where a word starts. */
  wordStart: boolean;
  /** The alias to write, or undefined to leave the word and hand the entry on as a phoneme. */
  alias: string | undefined;
  /** Place in the lexicon sorted longest grapheme first; the lower wins where two match at one position. */
  rank: number;
}

/**
 * One alternation per case mode and start boundary, longest grapheme first, so each finds its next match in one
 * search; the shared boundary in front lets the engine skip the middle of words instead of trying every entry.
 */
interface Alternation {
  pattern: RegExp;
  matchers: Matcher[];
}

interface Hit {
  at: number;
  matched: string;
  matcher: Matcher;
}

const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * Replaces whole words and phrases in one pass, longest grapheme first, so an alias is never matched again and
 * "Blue Dream" wins over "Blue". An entry that can change nothing here (a phoneme only, and a provider without
 * phoneme support) is left out, so a shorter entry with an alias still applies inside its words.
 */
export function applyPronunciations(
  text: string,
  lexicon: readonly Pronunciation[],
  options: { phonemesSupported: boolean },
): PronouncedText {
  const usable = lexicon
    .filter((entry) => present(entry.grapheme))
    .flatMap((entry): [Pronunciation, string | undefined][] => {
      if (options.phonemesSupported && present(entry.phoneme)) return [[entry, undefined]];
      return present(entry.alias) ? [[entry, entry.alias]] : [];
    })
    .sort(([a], [b]) => length(b.grapheme) - length(a.grapheme));
  const matchers = usable.map(([entry, alias], rank) => matcher(entry, alias, rank));
  const alternations = [true, false].flatMap((caseSensitive) =>
    [true, false].flatMap((wordStart) => {
      const group = matchers.filter(
        (m) => (m.entry.case_sensitive === true) === caseSensitive && m.wordStart === wordStart,
      );
      return alternation(group, wordStart, caseSensitive ? 'gu' : 'giu') ?? [];
    }),
  );

  const source = text.normalize('NFC');
  const phonemes: Pronunciation[] = [];
  let spoken = '';
  let index = 0;
  for (let hit = nextHit(source, 0, alternations); hit; hit = nextHit(source, index, alternations)) {
    spoken += source.slice(index, hit.at) + (hit.matcher.alias ?? hit.matched);
    if (hit.matcher.alias === undefined && !phonemes.includes(hit.matcher.entry)) {
      phonemes.push(hit.matcher.entry);
    }
    index = hit.at + hit.matched.length;
  }
  return { text: spoken + source.slice(index), phonemes };
}

function length(grapheme: string): number {
  return [...grapheme.normalize('NFC').trim()].length;
}

function matcher(entry: Pronunciation, alias: string | undefined, rank: number): Matcher {
  const grapheme = entry.grapheme.normalize('NFC').trim();
  // Regex syntax in a grapheme is literal; the space between words of a phrase matches any run of whitespace.
  const body = grapheme
    .split(/\s+/u)
    .map((word) => word.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&'))
    .join(String.raw`\s+`);
  // A boundary is needed only where the grapheme itself begins or ends with a word character ("C++" ends in "+").
  const after = ENDS_WITH_WORD_CHAR.test(grapheme) ? `(?!${WORD_CHAR})` : '';
  return { entry, source: body + after, wordStart: STARTS_WITH_WORD_CHAR.test(grapheme), alias, rank };
}

function alternation(matchers: Matcher[], wordStart: boolean, flags: string): Alternation | undefined {
  if (matchers.length === 0) return undefined;
  const before = wordStart ? `(?<!${WORD_CHAR})` : '';
  const pattern = new RegExp(`${before}(?:${matchers.map((m) => `(${m.source})`).join('|')})`, flags);
  return { pattern, matchers };
}

/** The earliest match from `index` in any alternation; at the same position the longer grapheme wins. */
function nextHit(text: string, index: number, alternations: readonly Alternation[]): Hit | undefined {
  let best: Hit | undefined;
  for (const { pattern, matchers } of alternations) {
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    const group = match?.findIndex((value, at) => at > 0 && value !== undefined) ?? -1;
    const found = matchers[group - 1];
    if (match === null || found === undefined) continue;
    if (
      best === undefined ||
      match.index < best.at ||
      (match.index === best.at && found.rank < best.matcher.rank)
    ) {
      best = { at: match.index, matched: match[0], matcher: found };
    }
  }
  return best;
}

/** What is wrong with a lexicon before it is stored: each problem names the entry and the field to fix. */
export function validateLexicon(entries: readonly Pronunciation[]): LexiconProblem[] {
  const problems: LexiconProblem[] = [];
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    const grapheme = typeof entry.grapheme === 'string' ? entry.grapheme.normalize('NFC').trim() : '';
    if (grapheme === '') {
      problems.push({ index, field: 'grapheme', message: 'grapheme is empty' });
    } else {
      const key = grapheme.replace(/\s+/gu, ' ').toLowerCase();
      const first = seen.get(key);
      if (first === undefined) seen.set(key, index);
      else
        problems.push({ index, field: 'grapheme', message: `grapheme "${grapheme}" repeats entry ${first}` });
    }
    if (entry.alias !== undefined && !present(entry.alias)) {
      problems.push({ index, field: 'alias', message: 'alias is empty' });
    } else if (!present(entry.alias) && !present(entry.phoneme)) {
      problems.push({ index, field: 'alias', message: 'an entry needs an alias or a phoneme' });
    }
    if (entry.phoneme !== undefined) problems.push(...phonemeProblems(entry, index));
  });
  return problems;
}

function phonemeProblems(entry: Pronunciation, index: number): LexiconProblem[] {
  const phoneme = entry.phoneme ?? '';
  const alphabet: string = entry.alphabet ?? 'ipa';
  if (alphabet !== 'ipa' && alphabet !== 'x-sampa') {
    return [{ index, field: 'alphabet', message: `alphabet must be ipa or x-sampa, not "${alphabet}"` }];
  }
  if (phoneme.trim() === '') return [{ index, field: 'phoneme', message: 'phoneme is empty' }];
  if (alphabet === 'x-sampa') {
    return /^[\x20-\x7e]+$/.test(phoneme)
      ? []
      : [{ index, field: 'phoneme', message: 'an X-SAMPA phoneme is printable ASCII only' }];
  }
  // IPA written as plain letters is almost always a respelling meant as an alias; brackets and quotes would
  // break the SSML attribute the phoneme is sent in.
  if (/[<>"'&]/.test(phoneme) || /\p{Cc}/u.test(phoneme)) {
    return [
      {
        index,
        field: 'phoneme',
        message: 'an IPA phoneme cannot hold angle brackets, quotes or &: write stress as ˈ',
      },
    ];
  }
  if (/^[A-Za-z\s]+$/.test(phoneme)) {
    return [
      { index, field: 'phoneme', message: 'this looks like a respelling, not IPA: use it as the alias' },
    ];
  }
  return [];
}
