// Turns a run's results into the figures table of bench/README.md (between its markers): one row per figure, each
// target of design §9 met or missed by how much, with the measured profile that says why.
import { readFileSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import type { Bundle } from './bundles.ts';
import type { CacheShareResult, HitLatency } from './cache.ts';
import { ORIGINAL_ESTIMATE, type MonthCost } from './cost.ts';
import type { LoadResult } from './load.ts';
import type { Machine } from './support.ts';
import type { OverheadResult, StreamingResult } from './turns.ts';

export interface RunResults {
  machine: Machine;
  date: string;
  seconds: number;
  phases: Record<string, number>;
  overhead?: OverheadResult;
  streaming?: StreamingResult[];
  hit?: HitLatency;
  shares?: CacheShareResult;
  cost?: MonthCost;
  bundles?: Bundle[];
  synthSeconds?: number;
  load?: LoadResult;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const pct = (value: number) => `${(value * 100).toFixed(1)} %`;
const usd = (value: number) => `$${value.toFixed(2)}`;
const verdict = (met: boolean, miss: string) => (met ? '**met**' : `**missed** ${miss}`);

function cpuWhy(overhead: OverheadResult): string {
  const top = overhead.cpu
    .slice(0, 6)
    .map((entry) => `${entry.where} ${pct(entry.share)}`)
    .join(', ');
  const { profile } = overhead;
  return (
    `per turn (medians): ${profile.dynamodbCalls} DynamoDB Local calls waited ${ms(profile.dynamodbMs)}, ` +
    `${profile.s3Calls} s3rver calls ${ms(profile.s3Ms)}, ${ms(profile.cpuMs)} of CPU in the stack process; ` +
    `CPU by place: ${top}`
  );
}

function rows(results: RunResults): string[][] {
  const out: string[][] = [];
  const { overhead, streaming, hit, shares, cost, bundles, load } = results;
  if (overhead) {
    const { p50, p95, p99 } = overhead.overhead;
    out.push([
      `Chat turn overhead p50 (POST /api/chat, ${overhead.turns} turns, simulators' time taken out)`,
      '≤ 15 ms',
      `${ms(p50)} — ${verdict(p50 <= 15, `by ${ms(p50 - 15)}: ${cpuWhy(overhead)}`)}`,
    ]);
    out.push(['Chat turn overhead p95', '—', ms(p95)]);
    out.push([
      'Chat turn overhead p99',
      '≤ 50 ms',
      `${ms(p99)} — ${verdict(p99 <= 50, `by ${ms(p99 - 50)} (as p50)`)}`,
    ]);
  }
  for (const result of streaming ?? []) {
    const target = result.characters >= 400 && result.characters <= 600;
    out.push([
      `Streaming: first audio vs sequential whole reply, ${result.characters}-character reply (${result.sentences} sentences)`,
      target ? '≥ 3× sooner' : '—',
      `${result.ratio.toFixed(2)}× (${ms(result.firstAudioMs)} vs ${ms(result.sequentialMs)})` +
        (target ? ` — ${verdict(result.ratio >= 3, `by ${(3 - result.ratio).toFixed(2)}×`)}` : ''),
    ]);
    out.push([
      `Streaming, ${result.characters} characters: first audio − (first sentence + its speech call)`,
      '≤ 50 ms',
      `${ms(result.addedMs)} (first sentence at ${ms(result.firstSentenceMs)}, speech call ${ms(result.firstSpeechMs)}) — ` +
        verdict(
          result.addedMs <= 50,
          `by ${ms(result.addedMs - 50)}: between the sentence's end and its audio event, ${result.addedWaits.dynamodbCalls} ` +
            `DynamoDB Local calls (open ${ms(result.addedWaits.dynamodbMs)}) ` +
            `and ${result.addedWaits.s3Calls} s3rver calls (open ${ms(result.addedWaits.s3Ms)}: cache read and write), ` +
            'audio measuring and a presigned URL',
        ),
    ]);
  }
  if (hit) {
    out.push([
      `Cache hit, POST …/voice/generate of a sentence already spoken (p50 of ${hit.hits})`,
      '≤ 20 ms, no provider call',
      `${ms(hit.p50)} (p95 ${ms(hit.p95)}), ${hit.providerCalls} provider calls, ${hit.notCached} not cached — ` +
        verdict(
          hit.p50 <= 20 && hit.providerCalls === 0,
          `by ${ms(Math.max(0, hit.p50 - 20))}: per hit (medians) ${hit.profile.dynamodbCalls} DynamoDB Local calls ` +
            `open ${ms(hit.profile.dynamodbMs)}, ${hit.profile.s3Calls} s3rver calls open ${ms(hit.profile.s3Ms)}, ` +
            `${ms(hit.profile.cpuMs)} of CPU in the stack (token check; the personality read alongside one batch read of ` +
            "plan, month's usage and pronunciations; the cached object read whole; a usage record for the hit; a " +
            'presigned URL)',
        ),
    ]);
  }
  if (shares) {
    const { month } = shares;
    const ratio = month.sentenceShare / month.wholeReplyShare;
    out.push([
      `Characters served from cache, sentence vs whole-reply keys (${month.conversations} conversations, ${month.replies} replies)`,
      'sentence ≥ 2× whole reply',
      `${pct(month.sentenceShare)} vs ${pct(month.wholeReplyShare)} (${ratio.toFixed(1)}×) — ${verdict(ratio >= 2, `by ${(2 - ratio).toFixed(1)}×`)}`,
    ]);
  }
  if (cost) {
    out.push([
      'Small-business month (1,000 conversations × 10 × 300 characters, 70 % default / 30 % custom voices)',
      `original: ~$${ORIGINAL_ESTIMATE.hybridUsd} hybrid, ~$${ORIGINAL_ESTIMATE.withCachingUsd} with caching`,
      `${usd(cost.uncachedUsd)} uncached, ${usd(cost.sentenceCachedUsd)} with sentence caching ` +
        `(${usd(cost.wholeReplyCachedUsd)} whole-reply; ${usd(cost.sentenceCachedFlashUsd)} with ElevenLabs Flash)`,
    ]);
  }
  if (bundles) {
    const plain = bundles.filter((bundle) => !bundle.usesProviders);
    const speaking = bundles.filter((bundle) => bundle.usesProviders);
    const parts = (list: Bundle['largest']) =>
      list.map((entry) => `${entry.where} ${mb(entry.bytes)}`).join(', ');
    const over = plain.filter((bundle) => bundle.bytes > 1_000_000);
    const largest = plain.reduce((a, b) => (a.bytes >= b.bytes ? a : b));
    const largestOnDisk = plain.reduce((a, b) => (a.totalBytes >= b.totalBytes ? a : b));
    const middle = [...plain].sort((a, b) => a.bytes - b.bytes)[Math.floor(plain.length / 2)]!;
    out.push([
      `Bundle size loaded at cold start, the ${plain.length} functions without a provider SDK (of ${bundles.length})`,
      '≤ 1 MB minified, no provider SDK',
      `${mb(Math.min(...plain.map((b) => b.bytes)))}–${mb(largest.bytes)} (typical ${mb(middle.bytes)}: ` +
        `${parts(middle.largest)}), provider SDKs in none; largest on disk ${mb(largestOnDisk.totalBytes)} ` +
        `(${largestOnDisk.entry}, with chunks loaded only for the file at hand: ${parts(largestOnDisk.largestLazy)}) — ` +
        verdict(
          over.length === 0,
          `in ${over.length} of ${plain.length}, by up to ${mb(largest.bytes - 1e6)} (${largest.entry}: ` +
            `${parts(largest.largest)})`,
        ),
    ]);
    const eager = speaking.filter((bundle) => bundle.providerSdks.length > 0);
    const lazy = [...new Set(speaking.flatMap((bundle) => bundle.lazySdks))];
    const biggest = speaking.reduce((a, b) => (a.totalBytes >= b.totalBytes ? a : b), speaking[0]!);
    out.push([
      `Bundles of the ${speaking.length} functions that speak, clone or list voices`,
      'each provider SDK loaded only when that provider is used',
      `${mb(Math.min(...speaking.map((b) => b.bytes)))}–${mb(Math.max(...speaking.map((b) => b.bytes)))} loaded at ` +
        `cold start, provider SDKs in ${eager.length}; ${mb(biggest.totalBytes)} on disk at most, the rest in chunks ` +
        `loaded on first use (${lazy.join(', ')}; largest: ${parts(biggest.largestLazy)}) — ` +
        verdict(
          eager.length === 0,
          `in ${eager.length} of ${speaking.length}: ${eager.map((bundle) => `${bundle.entry} (${bundle.providerSdks.join(', ')})`).join('; ')}`,
        ),
    ]);
    for (const [group, limit, label] of [
      [plain, 250, 'without a provider SDK'],
      [speaking, 500, 'that speak, clone or list voices'],
    ] as const) {
      const timed = group.filter((bundle) => bundle.initMs !== undefined);
      if (timed.length === 0) continue;
      const slow = timed.filter((bundle) => bundle.initMs! > limit);
      const worst = timed.reduce((a, b) => (a.initMs! >= b.initMs! ? a : b));
      const middle = [...timed].sort((a, b) => a.initMs! - b.initMs!)[Math.floor(timed.length / 2)]!;
      out.push([
        `Cold init (import in a fresh Node process, median of ${worst.runs} runs), functions ${label}`,
        `≤ ${limit} ms`,
        `typical ${ms(middle.initMs!)}, worst ${ms(worst.initMs!)} (${worst.entry}) — ` +
          verdict(
            slow.length === 0,
            `in ${slow.length} of ${timed.length}, by up to ${ms(worst.initMs! - limit)}: ` +
              `it loads ${mb(worst.bytes)} of JavaScript, parsed and run before the handler exists` +
              (worst.initWithoutSourceMapsMs === undefined
                ? ''
                : `; without --enable-source-maps (which reads its ${mb(worst.bytes)}-class map at load) it takes ${ms(worst.initWithoutSourceMapsMs)}`),
          ),
      ]);
    }
  }
  if (load) {
    const clean = load.serverErrors === 0 && load.lostMessages === 0 && load.lostRecords === 0;
    const { profile } = load;
    const littleSeconds = load.conversations / load.turnsPerSecond;
    const why =
      `${load.serverErrors} turns answered 5xx (${Object.keys(load.statuses)
        .filter((status) => /^5/.test(status))
        .join(', ')}). At the ${load.turnsPerSecond.toFixed(1)} turns/s the stack completes here, ` +
      `${load.conversations} conversations in flight make an average turn of ${load.conversations} / ` +
      `${load.turnsPerSecond.toFixed(1)} ≈ ${littleSeconds.toFixed(0)} s (Little's law), past the 29 s deadline of the ` +
      'gateway and of the handler (middy’s timeout; whichever fires first answers 503). The stack used ' +
      `${profile.stackCores.toFixed(2)} cores and DynamoDB Local ${profile.dynamodbCores?.toFixed(2) ?? '?'} ` +
      `(${profile.dynamodbCallsPerSecond.toFixed(0)} calls/s) of this ${results.machine.cores}-core machine (load ` +
      `average ${results.machine.loadAverage} at the start, from other work); the SDK warned ` +
      `${profile.socketWarnings} times that all 50 sockets of a client were busy. A turn that times out goes on ` +
      `speaking: its ${load.recordsOfFailedTurns} usage records are written (none lost), for speech the customer got a ` +
      '503 for';
    out.push([
      `Load: ${load.conversations} concurrent conversations × ${load.turnsPerConversation} turns (${load.tenants} tenants)`,
      'no 5xx, no lost message, no lost usage record',
      `${load.serverErrors} 5xx, ${load.errors} errors (${Object.entries(load.statuses)
        .map(([status, count]) => `${status}: ${count}`)
        .join(', ')}), ` +
        `${load.lostMessages} lost / ${load.duplicatedMessages} duplicated messages, ${load.lostRecords} lost / ` +
        `${load.duplicatedRecords} duplicated usage records of ${load.expectedRecords} for answered turns, and ` +
        `${load.recordsOfFailedTurns} records of turns that failed — ` +
        verdict(clean, why),
    ]);
    out.push([
      'Load: throughput and turn latency',
      '—',
      `${load.turns} turns; ${load.turnsPerSecond.toFixed(1)} answered turns/s over ${load.seconds.toFixed(0)} s; p50 ${ms(load.latency.p50)}, p95 ${ms(load.latency.p95)}, p99 ${ms(load.latency.p99)}`,
    ]);
    out.push([
      'Load: peak resident memory',
      '—',
      `stack process ${load.peakMemoryMb.stack.toFixed(0)} MB; DynamoDB Local (Java) ${load.peakMemoryMb.dynamodb?.toFixed(0) ?? '?'} MB`,
    ]);
  }
  return out;
}

function details(results: RunResults): string {
  const lines: string[] = [];
  const { overhead, streaming, shares, cost, bundles } = results;
  if (overhead) {
    lines.push(
      `- Chat turn: total p50 ${ms(overhead.total.p50)}, of which the simulators ${ms(overhead.simulators.p50)}; ` +
        `${overhead.failures} failed turns. ${cpuWhy(overhead)}.`,
    );
  }
  for (const result of streaming ?? []) {
    lines.push(
      `- Streaming ${result.characters} characters (${result.runs} runs, medians): sequential ${ms(result.sequentialMs)}, ` +
        `first audio ${ms(result.firstAudioMs)}, first sentence written at ${ms(result.firstSentenceMs)}, its speech call ${ms(result.firstSpeechMs)}.`,
    );
  }
  if (shares) {
    const { month, first200, withStockLines, check } = shares;
    lines.push(
      `- Cache shares: average reply ${month.averageReplyCharacters.toFixed(0)} characters; phrases are ` +
        `${pct(month.phraseShareOfSentenceHits)} of sentence hits. First 200 conversations: ${pct(first200.sentenceShare)} vs ` +
        `${pct(first200.wholeReplyShare)}. If a third of product sentences were stock lines: ${pct(withStockLines.sentenceShare)} vs ${pct(withStockLines.wholeReplyShare)}.`,
    );
    if (check)
      lines.push(
        `- Simulation checked against the stack on ${check.replies} replies: simulated ${check.simulated.cachedCharacters} of ` +
          `${check.simulated.characters} characters cached; the stack's usage records say ${check.stack.cachedCharacters} of ` +
          `${check.stack.characters} (${check.stack.records} records, ${check.expectedRecords} sentences).`,
      );
  }
  if (cost)
    lines.push(`- Prices: ${cost.prices}. ${cost.characters.toLocaleString('en-US')} characters a month.`);
  if (bundles) {
    lines.push(
      '',
      '| function | loaded at cold start | on disk | provider SDKs at start / on first use | cold init (median) | largest parts at start |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    for (const bundle of [...bundles].sort((a, b) => b.bytes - a.bytes))
      lines.push(
        `| ${bundle.entry} | ${mb(bundle.bytes)} | ${mb(bundle.totalBytes)} | ` +
          `${bundle.providerSdks.join(', ') || 'none'} / ${bundle.lazySdks.join(', ') || 'none'} | ` +
          `${bundle.initMs === undefined ? '—' : ms(bundle.initMs)} | ` +
          `${bundle.largest.map((entry) => `${entry.where} ${mb(entry.bytes)}`).join(', ')} |`,
      );
  }
  return lines.join('\n');
}

/**
 * The table and details, between `<!-- figures:start -->` and `<!-- figures:end -->` in the README, formatted as the
 * repository's Prettier settings say (the lint checks it).
 */
export async function writeFigures(readmePath: string, results: RunResults): Promise<void> {
  const { machine } = results;
  const where = `${machine.cores}× ${machine.cpu}, ${machine.memoryGb} GB, Node ${machine.node}`;
  const table = [
    '| figure | target | measured | machine | date |',
    '| --- | --- | --- | --- | --- |',
    ...rows(results).map((row) => `| ${[...row, where, results.date].join(' | ')} |`),
  ];
  const phases = Object.entries(results.phases)
    .map(([phase, seconds]) => `${phase} ${seconds.toFixed(0)} s`)
    .join(', ');
  const block = [
    '<!-- figures:start -->',
    `Run of ${results.date}: ${results.seconds.toFixed(0)} s in all (${phases}); load average at the start ${machine.loadAverage}` +
      (results.synthSeconds ? `; \`cdk synth\` took ${results.synthSeconds.toFixed(0)} s alongside.` : '.'),
    '',
    ...table,
    '',
    details(results),
    '<!-- figures:end -->',
  ].join('\n');
  const readme = readFileSync(readmePath, 'utf8');
  const start = readme.indexOf('<!-- figures:start -->');
  const end = readme.indexOf('<!-- figures:end -->');
  if (start < 0 || end < 0) throw new Error(`${readmePath} has no figures markers`);
  const text = readme.slice(0, start) + block + readme.slice(end + '<!-- figures:end -->'.length);
  const options = await resolveConfig(readmePath);
  writeFileSync(readmePath, await format(text, { ...options, filepath: readmePath }));
}
