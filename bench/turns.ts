// Chat turns on the local stack: the platform's own time in a turn (the simulators' time taken out), and how much
// sooner the streaming route plays its first audio than the sequential route delivers the whole reply.
import type { ChatAnswer } from '../functions/chat/schemas.ts';
import { builtinPersonalities } from '../functions/personalities/builtins.ts';
import { modelSentences, phraseBanks, replyOfLength, spokenSentences } from './corpus.ts';
import { LATENCY, modelChunks, SPEECH_PATH, type BenchSimulators } from './simulators.ts';
import { newTenantId, type BenchStack } from './stack.ts';
import type { CpuShares } from './stack-process.ts';
import {
  busyTime,
  callJson,
  callStream,
  median,
  medianProfile,
  percentile,
  sleep,
  type MedianProfile,
} from './support.ts';

/**
 * Ten replies, one per turn of a conversation: one of Marcel's transitions (turns 1–5) or closings (6–10), then a
 * sentence of the model's own. No sentence repeats within a conversation, so in a new tenant every one is synthesised.
 */
export function turnReplies(): string[] {
  const marcel = builtinPersonalities.find((personality) => personality.id === 'marcel')!;
  const { transitions, closings } = phraseBanks(marcel);
  const own = modelSentences(10);
  return Array.from({ length: 10 }, (_, turn) => `${[...transitions, ...closings][turn]} ${own[turn]}`);
}

export interface OverheadResult {
  turns: number;
  failures: number;
  overhead: { p50: number; p95: number; p99: number };
  total: { p50: number };
  simulators: { p50: number };
  /** Per turn, medians: calls to and time waiting on DynamoDB Local and s3rver, and the stack's CPU. */
  profile: MedianProfile;
  cpu: CpuShares;
}

/**
 * 1. One warm-up conversation speaks every reply once, so the simulator has rendered each sentence before timing.
 * 2. `conversations` conversations of ten turns, each in a new tenant, so every sentence misses the speech cache
 *    and is synthesised: the turn does all its work (model, two speech calls, cache writes, usage records).
 * 3. Per turn: the client's time minus the time the simulators were busy answering it (their own clock).
 */
export async function measureOverhead(
  stack: BenchStack,
  sims: BenchSimulators,
  conversations = 20,
): Promise<OverheadResult> {
  const replies = turnReplies();
  sims.setSpeechLatency(LATENCY.speechFirstByteMs);
  sims.holdModel(LATENCY.modelWholeReplyMs);
  const profiles: Awaited<ReturnType<BenchStack['profile']>>[] = [];
  const conversation = async (record: boolean) => {
    const token = await stack.token(newTenantId('turn'), 'member');
    let conversationId: string | undefined;
    const results: Array<{ total: number; simulators: number; ok: boolean }> = [];
    for (const reply of replies) {
      sims.setReply(reply);
      const answer = await callJson<Partial<ChatAnswer>>(`${stack.url}/api/chat`, {
        token,
        json: {
          message: 'What would you suggest?',
          personality_id: 'marcel',
          conversation_id: conversationId,
        },
      });
      conversationId ??= answer.body?.conversation_id;
      const simulators = busyTime(sims.calls(answer.start, answer.end));
      const ok = answer.status === 200 && answer.body.voice?.spoke === true;
      if (record) results.push({ total: answer.ms, simulators, ok });
      if (record) profiles.push(await stack.profile());
    }
    return results;
  };
  await conversation(false);
  await stack.profile();
  await stack.cpuProfile('start');
  const results = [];
  for (let index = 0; index < conversations; index += 1) results.push(...(await conversation(true)));
  const cpu = await stack.cpuProfile('stop');
  sims.holdModel(0);

  const good = results.filter((result) => result.ok);
  const overheads = good.map((result) => result.total - result.simulators);
  return {
    turns: results.length,
    failures: results.length - good.length,
    overhead: {
      p50: percentile(overheads, 50),
      p95: percentile(overheads, 95),
      p99: percentile(overheads, 99),
    },
    total: { p50: median(good.map((result) => result.total)) },
    simulators: { p50: median(good.map((result) => result.simulators)) },
    profile: medianProfile(profiles),
    cpu,
  };
}

export interface StreamingResult {
  characters: number;
  sentences: number;
  runs: number;
  /** Medians over the runs, in milliseconds from sending the request. */
  sequentialMs: number;
  firstAudioMs: number;
  firstSentenceMs: number;
  /** The first sentence's speech call, timed by the simulator. */
  firstSpeechMs: number;
  /** First audio minus (first sentence + its speech call): what the platform adds on the streaming path. */
  addedMs: number;
  /** Between the first sentence's end and its audio: the stack's calls to DynamoDB Local and s3rver. */
  addedWaits: { dynamodbCalls: number; dynamodbMs: number; s3Calls: number; s3Ms: number };
  ratio: number;
}

/**
 * For each reply length: the sequential route (the model's whole reply after as long as streaming it takes, then the
 * speech) and the streaming route (a chunk every 40 ms), alternately, each run in a new tenant so nothing is cached.
 */
export async function measureStreaming(
  stack: BenchStack,
  sims: BenchSimulators,
  lengths: Array<{ characters: number; runs: number }>,
): Promise<StreamingResult[]> {
  const texts = lengths.map(({ characters }) => replyOfLength(characters));
  // Warm-up: the simulator renders each sentence once, without the latencies, before anything is timed.
  sims.setSpeechLatency(0);
  for (const text of texts) {
    sims.setReply(text);
    const token = await stack.token(newTenantId('warm'), 'member');
    await callJson(`${stack.url}/api/chat`, {
      token,
      json: { message: 'Warm up', personality_id: 'marcel' },
    });
  }
  sims.setSpeechLatency(LATENCY.speechFirstByteMs);

  const results: StreamingResult[] = [];
  for (const [index, { runs }] of lengths.entries()) {
    const text = texts[index]!;
    const firstSentence = spokenSentences({ personalityId: 'marcel', language: 'en-US', text })[0]!;
    const firstSentenceEnd = text.indexOf(firstSentence) + firstSentence.length;
    const runs_: Array<Omit<StreamingResult, 'characters' | 'sentences' | 'runs' | 'ratio' | 'addedWaits'>> =
      [];
    const waits: Array<StreamingResult['addedWaits']> = [];
    for (let run = 0; run < runs; run += 1) {
      sims.setReply(text, LATENCY.modelChunkMs);
      sims.holdModel(modelChunks(text) * LATENCY.modelChunkMs, 1);
      const sequential = await callJson<Partial<ChatAnswer>>(`${stack.url}/api/chat`, {
        token: await stack.token(newTenantId('seq'), 'member'),
        json: { message: 'Tell me everything', personality_id: 'marcel' },
      });
      if (sequential.status !== 200 || !sequential.body.audio_url)
        throw new Error(
          `the sequential turn failed: ${sequential.status} ${JSON.stringify(sequential.body)}`,
        );

      const streamed = await callStream(
        `${stack.url}/api/chat/stream`,
        await stack.token(newTenantId('stream'), 'member'),
        { message: 'Tell me everything', personality_id: 'marcel' },
        // The rest of the stream is not measured: leaving early keeps the run short.
        (event) => event.event === 'audio' || event.event === 'error',
      );
      // Speech calls already on their way finish before the next run is timed.
      await sleep(LATENCY.speechFirstByteMs * 2);
      const firstAudio = streamed.events.find((event) => event.event === 'audio');
      if (!firstAudio || firstAudio.data.index !== 0)
        throw new Error(`the stream sent no first audio: ${JSON.stringify(streamed.events.slice(-3))}`);
      let written = 0;
      const sentenceDone = streamed.events.find(
        (event) => event.event === 'text' && (written += String(event.data.delta).length) >= firstSentenceEnd,
      )!;
      const firstSpeech = sims
        .calls(streamed.start, firstAudio.at)
        .find((call) => call.simulator === 'google' && call.path.startsWith(SPEECH_PATH));
      const firstSpeechMs = firstSpeech ? firstSpeech.end - firstSpeech.start : Number.NaN;
      const window = await stack.profile({ from: sentenceDone.at, to: firstAudio.at });
      waits.push({
        dynamodbCalls: window.waits['dynamodb']?.calls ?? 0,
        dynamodbMs: window.waits['dynamodb']?.busyMs ?? 0,
        s3Calls: window.waits['s3']?.calls ?? 0,
        s3Ms: window.waits['s3']?.busyMs ?? 0,
      });
      runs_.push({
        sequentialMs: sequential.ms,
        firstAudioMs: firstAudio.at - streamed.start,
        firstSentenceMs: sentenceDone.at - streamed.start,
        firstSpeechMs,
        addedMs: firstAudio.at - sentenceDone.at - firstSpeechMs,
      });
    }
    const middle = (field: keyof (typeof runs_)[number]) => median(runs_.map((one) => one[field]));
    results.push({
      characters: text.length,
      sentences: spokenSentences({ personalityId: 'marcel', language: 'en-US', text }).length,
      runs,
      sequentialMs: middle('sequentialMs'),
      firstAudioMs: middle('firstAudioMs'),
      firstSentenceMs: middle('firstSentenceMs'),
      firstSpeechMs: middle('firstSpeechMs'),
      addedMs: middle('addedMs'),
      addedWaits: {
        dynamodbCalls: median(waits.map((wait) => wait.dynamodbCalls)),
        dynamodbMs: median(waits.map((wait) => wait.dynamodbMs)),
        s3Calls: median(waits.map((wait) => wait.s3Calls)),
        s3Ms: median(waits.map((wait) => wait.s3Ms)),
      },
      ratio: middle('sequentialMs') / middle('firstAudioMs'),
    });
  }
  sims.setReply(null);
  return results;
}
