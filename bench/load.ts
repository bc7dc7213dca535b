// Load: many conversations at once against the local stack, then every conversation and usage record read back,
// so a lost message or record shows up as a count, not as a guess.
import type { ChatAnswer } from '../functions/chat/schemas.ts';
import { spokenSentences } from './corpus.ts';
import { LATENCY, type BenchSimulators } from './simulators.ts';
import { newTenantId, usageRecords, type BenchStack } from './stack.ts';
import { callJson, now, percentile, sleep } from './support.ts';

export interface LoadResult {
  conversations: number;
  turnsPerConversation: number;
  tenants: number;
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  latency: { p50: number; p95: number; p99: number };
  /** Turns that did not answer 200 with spoken audio (5xx counted on their own as well), by status and code. */
  errors: number;
  serverErrors: number;
  statuses: Record<string, number>;
  /** Answered messages not found when their conversation was read back, and messages found twice. */
  lostMessages: number;
  duplicatedMessages: number;
  /** Usage records of answered turns (matched by request id): one per spoken sentence. */
  expectedRecords: number;
  lostRecords: number;
  duplicatedRecords: number;
  /** Records of turns the client got an error for: spoken after the gateway had given up on them. */
  recordsOfFailedTurns: number;
  /** Where the time went: CPU cores the stack and DynamoDB Local used on average, and DynamoDB calls a second. */
  profile: {
    stackCores: number;
    dynamodbCores: number | undefined;
    dynamodbCallsPerSecond: number;
    /** The AWS SDK's warnings, during the run, that a client's 50 sockets were all busy and requests queued. */
    socketWarnings: number;
  };
  peakMemoryMb: { stack: number; dynamodb: number | undefined };
}

interface Slot {
  tenantId: string;
  token: string;
  conversationId?: string;
  /** Per conversation the slot opened: the ids of its answered replies. */
  conversations: Map<string, string[]>;
}

interface Answered {
  tenantId: string;
  requestId: string;
  sentences: number;
}

/**
 * 1. `conversations` slots spread over `tenants` tenants (ten in each share its usage counter), all at once, each
 *    sending `turns` turns one after another; a slot whose first turn failed opens a new conversation with the next.
 *    The simulator's model answers from the customer's words, so sentences recur and many are cache hits.
 * 2. Every turn is timed and its status counted with its error code.
 * 3. Each conversation is read back: every answered reply's id must be there once, with one customer message per
 *    answered turn. Every answered turn must have exactly one usage record per sentence spoken (matched by the request
 *    id the gateway returned); a shortfall gets one replay cycle of the dead-letter queue to come back.
 */
export async function measureLoad(
  stack: BenchStack,
  sims: BenchSimulators,
  options = { conversations: 200, turns: 10, tenants: 20 },
): Promise<LoadResult> {
  sims.setSpeechLatency(LATENCY.speechFirstByteMs);
  sims.holdModel(LATENCY.modelWholeReplyMs);
  sims.setReply(null);
  const tenants = await Promise.all(
    Array.from({ length: options.tenants }, async () => {
      const tenantId = newTenantId('load');
      return { tenantId, token: await stack.token(tenantId, 'member') };
    }),
  );
  const slots: Slot[] = Array.from({ length: options.conversations }, (_, index) => ({
    ...tenants[index % tenants.length]!,
    conversations: new Map(),
  }));
  const answered: Answered[] = [];
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  await stack.profile();
  const javaBefore = stack.dynamodbCpuSeconds();
  const warningsBefore = stack.socketWarnings();
  const started = now();
  await Promise.all(
    slots.map(async (slot) => {
      for (let turn = 0; turn < options.turns; turn += 1) {
        const answer = await callJson<Partial<ChatAnswer> & { error?: { code?: string } }>(
          `${stack.url}/api/chat`,
          {
            token: slot.token,
            json: {
              message: `Turn ${turn + 1}: what would you suggest for a quiet evening?`,
              personality_id: 'marcel',
              ...(slot.conversationId ? { conversation_id: slot.conversationId } : {}),
            },
          },
        ).catch(() => ({
          status: 0,
          body: {} as Partial<ChatAnswer> & { error?: { code?: string } },
          ms: 0,
          requestId: undefined,
        }));
        latencies.push(answer.ms);
        const spoke = answer.status === 200 && answer.body.voice?.spoke === true;
        // Status 0: the connection failed before any answer; a 503 without a code is the gateway's 29 s timeout.
        const key = spoke
          ? '200'
          : answer.status === 200
            ? '200 without speech'
            : `${answer.status} ${answer.body.error?.code ?? 'gateway timeout'}`;
        statuses[key] = (statuses[key] ?? 0) + 1;
        if (answer.status !== 200 || !answer.body.conversation_id) continue;
        slot.conversationId ??= answer.body.conversation_id;
        const replies = slot.conversations.get(slot.conversationId) ?? [];
        replies.push(answer.body.message_id ?? '(no id)');
        slot.conversations.set(slot.conversationId, replies);
        if (spoke && answer.requestId)
          answered.push({
            tenantId: slot.tenantId,
            requestId: answer.requestId,
            sentences: spokenSentences({
              personalityId: 'marcel',
              language: 'en-US',
              text: answer.body.text ?? '',
            }).length,
          });
      }
    }),
  );
  const seconds = (now() - started) / 1000;
  const waits = await stack.profile();
  const javaAfter = stack.dynamodbCpuSeconds();
  sims.holdModel(0);

  let lostMessages = 0;
  let duplicatedMessages = 0;
  for (const slot of slots) {
    for (const [conversationId, replies] of slot.conversations) {
      const read = await callJson<{ messages?: Array<{ id: string; role: string }> }>(
        `${stack.url}/api/conversations/${conversationId}`,
        { token: slot.token },
      );
      const messages = (read.status === 200 && read.body.messages) || [];
      const ids = messages.map((message) => message.id);
      // An answered turn stored two messages: the reply (its id is in the answer) and the customer's (counted).
      lostMessages += replies.filter((id) => !ids.includes(id)).length;
      lostMessages += Math.max(
        0,
        replies.length - messages.filter((message) => message.role === 'user').length,
      );
      duplicatedMessages += ids.length - new Set(ids).size;
    }
  }

  const expectedRecords = answered.reduce((sum, turn) => sum + turn.sentences, 0);
  const accountRecords = async () => {
    const byRequest = new Map<string, number>();
    for (const { tenantId } of tenants)
      for (const record of await usageRecords(stack, tenantId)) {
        const requestId = String(record.request_id);
        byRequest.set(requestId, (byRequest.get(requestId) ?? 0) + 1);
      }
    let lost = 0;
    let duplicated = 0;
    for (const turn of answered) {
      const found = byRequest.get(turn.requestId) ?? 0;
      lost += Math.max(0, turn.sentences - found);
      duplicated += Math.max(0, found - turn.sentences);
      byRequest.delete(turn.requestId);
    }
    const ofFailedTurns = [...byRequest.values()].reduce((sum, count) => sum + count, 0);
    return { lost, duplicated, ofFailedTurns };
  };
  let records = await accountRecords();
  if (records.lost > 0) {
    // The local stack replays dead-lettered usage records every 30 s, as the SQS consumer does in AWS.
    await sleep(32_000);
    records = await accountRecords();
  }
  const memory = await stack.peakMemory();
  const ok = statuses['200'] ?? 0;
  const dynamodb = waits.waits['dynamodb'];
  return {
    conversations: options.conversations,
    turnsPerConversation: options.turns,
    tenants: options.tenants,
    turns: latencies.length,
    seconds,
    turnsPerSecond: ok / seconds,
    latency: {
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      p99: percentile(latencies, 99),
    },
    errors: latencies.length - ok,
    serverErrors: Object.entries(statuses)
      .filter(([status]) => /^5/.test(status))
      .reduce((sum, [, count]) => sum + count, 0),
    statuses,
    lostMessages,
    duplicatedMessages,
    expectedRecords,
    lostRecords: records.lost,
    duplicatedRecords: records.duplicated,
    recordsOfFailedTurns: records.ofFailedTurns,
    profile: {
      stackCores: waits.cpuMs / 1000 / seconds,
      dynamodbCores:
        javaBefore === undefined || javaAfter === undefined ? undefined : (javaAfter - javaBefore) / seconds,
      dynamodbCallsPerSecond: (dynamodb?.calls ?? 0) / seconds,
      socketWarnings: stack.socketWarnings() - warningsBefore,
    },
    peakMemoryMb: { stack: memory.stackMb, dynamodb: memory.dynamodbMb },
  };
}
