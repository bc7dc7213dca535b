// SSML for the Google and Polly adapters: escaped text, <phoneme> around graphemes, <prosody>. Pure and SDK-free, so
// each adapter's bundle carries only its own provider's SDK.
import type { Pronunciation } from './port.ts';

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Text safe inside an SSML element or a double- or single-quoted attribute. */
export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The pronunciations that can become `<phoneme>`: those with both a grapheme and a phoneme. */
export function usablePhonemes(phonemes: readonly Pronunciation[] | undefined): Pronunciation[] {
  return (phonemes ?? []).filter((entry) => entry.phoneme && entry.grapheme);
}

/**
 * The text as SSML body: escaped, with every whole-word occurrence of a grapheme wrapped in `<phoneme>`.
 * Matches never overlap; at one position the longest grapheme wins. Case-insensitive unless `case_sensitive`.
 */
export function phonemeSsmlBody(text: string, phonemes: readonly Pronunciation[]): string {
  const hits: Array<{ start: number; end: number; entry: Pronunciation }> = [];
  for (const entry of phonemes) {
    if (!entry.phoneme || !entry.grapheme) continue;
    // A letter or digit on either side means the grapheme is part of a longer word.
    const flags = entry.case_sensitive ? 'gu' : 'giu';
    const pattern = new RegExp(
      `(?<![\\p{L}\\p{N}_])${escapeRegExp(entry.grapheme)}(?![\\p{L}\\p{N}_])`,
      flags,
    );
    for (const match of text.matchAll(pattern)) {
      hits.push({ start: match.index, end: match.index + match[0].length, entry });
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  let body = '';
  let at = 0;
  for (const { start, end, entry } of hits) {
    if (start < at) continue;
    const phoneme = `<phoneme alphabet="${entry.alphabet ?? 'ipa'}" ph="${escapeXml(entry.phoneme ?? '')}">`;
    body += `${escapeXml(text.slice(at, start))}${phoneme}${escapeXml(text.slice(start, end))}</phoneme>`;
    at = end;
  }
  return body + escapeXml(text.slice(at));
}

/**
 * A whole `<speak>` document for the text, its phonemes marked, inside `<prosody>` when any attributes are given
 * (in their order, e.g. `{ rate: '80%', pitch: '-5%' }`).
 */
export function ssmlDocument(
  text: string,
  phonemes: readonly Pronunciation[],
  prosody: Readonly<Record<string, string>> = {},
): string {
  const body = phonemeSsmlBody(text, phonemes);
  const attributes = Object.entries(prosody).map(([name, value]) => `${name}="${escapeXml(value)}"`);
  return `<speak>${attributes.length ? `<prosody ${attributes.join(' ')}>${body}</prosody>` : body}</speak>`;
}
