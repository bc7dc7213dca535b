// Splits prepared speech text into sentences, the unit the voice service synthesises and caches, each within a model's limit.

export interface InputLimit {
  /** Characters (UTF-16 code units, never fewer than what a provider counts) or UTF-8 bytes one request may carry. */
  maxInput: number;
  unit: 'characters' | 'bytes';
}

/** Words whose full stop does not end a sentence, lower-cased and without their final stop. */
const ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'st',
  'jr',
  'sr',
  'prof',
  'vs',
  'etc',
  'approx',
  'e.g',
  'i.e',
  'a.m',
  'p.m',
  'u.s',
  'u.k',
]);

/** A run of sentence-ending marks with the closing quotes and brackets that belong to the same sentence. */
const SENTENCE_END = /[.!?…‽]+["'”’»)\]}]*(?=\s|$)/gu;
const CLAUSE_MARKS = new Set([';', ':', ',']);
const DASHES = new Set(['—', '–']);

/** The cache key form of a sentence: NFC, one space between words, trimmed. Case stays, as it changes intonation. */
export function normaliseSentence(sentence: string): string {
  return sentence.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/**
 * Splits at sentence ends, then cuts any sentence over the limit. Each piece is a trimmed slice of the input,
 * so the same sentence always yields the same string, and joining the pieces gives back the text.
 */
export function splitSentences(text: string, limit: InputLimit): string[] {
  if (!Number.isInteger(limit.maxInput) || limit.maxInput < 1) {
    throw new RangeError(`maxInput must be a positive integer, not ${limit.maxInput}`);
  }
  const sentences: string[] = [];
  let start = 0;
  for (const match of text.matchAll(SENTENCE_END)) {
    const end = match.index + match[0].length;
    if (!endsSentence(text, match.index, end)) continue;
    sentences.push(text.slice(start, end));
    start = end;
  }
  sentences.push(text.slice(start));
  return sentences
    .map((sentence) => sentence.trim())
    .filter((sentence) => sentence !== '')
    .flatMap((sentence) => cut(sentence, limit));
}

/**
 * Whether text that stops here has finished its sentence whatever is written next: it ends in "!" or "?", or in a
 * full stop after a word that is neither an abbreviation nor a number ("Dr." and "2." may go on as "Dr. Green" and
 * "2.5"). An ellipsis may go on in lower case ("I mean… it's good"), so it does not count. What a stream of text
 * has so far can be spoken at once when this holds, without waiting for the next words.
 */
export function endsCompleteSentence(text: string): boolean {
  const trimmed = text.trimEnd();
  const match = /([.!?‽]+)["'”’»)\]}]*$/u.exec(trimmed);
  if (!match) return false;
  const marks = match[1]!;
  if (/[!?‽]/u.test(marks)) return true;
  if (marks !== '.') return false;
  let from = match.index;
  while (from > 0 && !/\s/u.test(trimmed[from - 1] ?? '')) from -= 1;
  const token = trimmed.slice(from, match.index).replace(/^["'“‘«([{]+/u, '');
  return /\p{L}$/u.test(token) && !isAbbreviation(token);
}

function endsSentence(text: string, start: number, end: number): boolean {
  const next = /^\s*(\S?)/u.exec(text.slice(end))?.[1] ?? '';
  if (next === '') return true;
  // "I mean… it's good", or an abbreviation not in the list: a lowercase word carries the sentence on.
  if (/\p{Ll}/u.test(next)) return false;
  if (!/^\.["'”’»)\]}]*$/u.test(text.slice(start, end))) return true;
  // Scanned backwards rather than with a regex anchored at the end, which would make long texts quadratic.
  let from = start;
  while (from > 0 && !/\s/u.test(text[from - 1] ?? '')) from -= 1;
  const token = text.slice(from, start).replace(/^["'“‘«([{]+/u, '');
  return !isAbbreviation(token);
}

function isAbbreviation(token: string): boolean {
  return (
    ABBREVIATIONS.has(token.toLowerCase()) ||
    // An initial, as in "J. R. R. Tolkien", or a dotted short form such as "U.S" or "p.m".
    /^\p{Lu}$/u.test(token) ||
    /^(?:\p{L}\.)+\p{L}$/u.test(token)
  );
}

function size(text: string, unit: InputLimit['unit']): number {
  if (unit === 'characters') return text.length;
  let bytes = 0;
  for (const char of text) bytes += utf8Length(char.codePointAt(0) ?? 0);
  return bytes;
}

/** Lone surrogates count 3, as the encoder writes U+FFFD for them. */
function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  return codePoint < 0x10000 ? 3 : 4;
}

/** The longest prefix within the limit, in whole code points; at least one, so a cut always moves on. */
function fittingPrefix(text: string, limit: InputLimit): number {
  let used = 0;
  let index = 0;
  for (const char of text) {
    const cost = limit.unit === 'bytes' ? utf8Length(char.codePointAt(0) ?? 0) : char.length;
    if (used + cost > limit.maxInput) break;
    used += cost;
    index += char.length;
  }
  return index > 0 ? index : (text.codePointAt(0) ?? 0) > 0xffff ? 2 : 1;
}

/** Cuts at the last clause mark, else the last space, else anywhere not inside a character. */
function cut(sentence: string, limit: InputLimit): string[] {
  const pieces: string[] = [];
  let rest = sentence;
  while (size(rest, limit.unit) > limit.maxInput) {
    const fit = fittingPrefix(rest, limit);
    const at = clauseCut(rest, fit) ?? spaceCut(rest, fit) ?? hardCut(rest, fit);
    pieces.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest !== '') pieces.push(rest);
  return pieces;
}

function clauseCut(text: string, fit: number): number | undefined {
  for (let index = fit - 1; index > 0; index -= 1) {
    const char = text[index] ?? '';
    const following = text[index + 1] ?? '';
    // "1,000" and "4:20" are not clause ends: a comma or colon counts only before a space.
    const clause = CLAUSE_MARKS.has(char) && /\s/u.test(following);
    const dash = DASHES.has(char) && !(/\d/u.test(text[index - 1] ?? '') && /\d/u.test(following));
    if ((clause || dash) && /[\p{L}\p{N}]/u.test(text.slice(0, index))) return index + 1;
  }
  return undefined;
}

function spaceCut(text: string, fit: number): number | undefined {
  for (let index = fit; index > 0; index -= 1) {
    if (/\s/u.test(text[index] ?? '')) return index;
  }
  return undefined;
}

/** Backs off over combining marks and joiners so an accent stays on its letter, unless nothing would be left. */
function hardCut(text: string, fit: number): number {
  let index = fit;
  while (index > 0 && /^(?:\p{M}|\u200D|\uFE0E|\uFE0F)/u.test(text.slice(index))) {
    index -= /[\uDC00-\uDFFF]/.test(text[index - 1] ?? '') && index > 1 ? 2 : 1;
  }
  return index > 0 ? index : fit;
}
