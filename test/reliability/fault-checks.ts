// What must hold after the fault run, each check returning the problems it found (empty when all is well), so a
// failure names the exchange, conversation or training at fault.
import { splitSentences } from '../../functions/voice/sentences.ts';
import { prepareForSpeech } from '../../functions/voice/speech-text.ts';
import type { Exchange, Training } from './fault-traffic.ts';
import type { FaultTable, UsageRecordItem } from './fault-stack.ts';

const where = (exchange: Exchange) =>
  `${exchange.method} ${exchange.path} (${exchange.tenantId}, request ${exchange.requestId ?? 'unknown'}, ` +
  `sent at ${(exchange.at / 1000).toFixed(1)} s, answered in ${exchange.ms} ms)`;

function clearError(body: any): boolean {
  return (
    typeof body?.error?.code === 'string' && body.error.code !== '' && typeof body.error.message === 'string'
  );
}

/**
 * A success, or a clear error: a 4xx, 502 or 503 with the error envelope and a code. A stream ends with `done` or
 * with an `error` event that has a code; `internal_error` is an unhandled failure wherever it appears.
 */
export function unclearAnswers(exchanges: Exchange[]): string[] {
  const problems: string[] = [];
  for (const exchange of exchanges) {
    const status = exchange.status;
    if (exchange.failure) {
      problems.push(`${where(exchange)}: ${status ? `${status}, ` : 'no answer, '}${exchange.failure}`);
      continue;
    }
    if (status >= 200 && status < 300) {
      if (!exchange.events) continue;
      const last = exchange.events[exchange.events.length - 1];
      if (!last || (last.event !== 'done' && last.event !== 'error'))
        problems.push(`${where(exchange)}: the stream stopped without done or error (last: ${last?.event})`);
      for (const event of exchange.events.filter((candidate) => candidate.event === 'error')) {
        if (typeof event.data?.code !== 'string' || event.data.code === 'internal_error')
          problems.push(`${where(exchange)}: stream error event ${JSON.stringify(event.data)}`);
      }
      continue;
    }
    const allowed = status < 500 || status === 502 || status === 503;
    if (!allowed || !clearError(exchange.body) || exchange.body.error.code === 'internal_error')
      problems.push(`${where(exchange)}: ${status} ${JSON.stringify(exchange.body)?.slice(0, 300)}`);
  }
  return problems;
}

interface Expectation {
  exchange: Exchange;
  /** Ids that must be stored exactly once. */
  ids: string[];
}

/** Message ids a turn's answer says were stored. */
function storedIds(exchange: Exchange): string[] {
  if (exchange.kind === 'chat' && exchange.status === 200) return [exchange.body.message_id];
  if (exchange.kind === 'chat' && exchange.body?.error?.code === 'model_unavailable')
    return [exchange.body.error.details.user_message_id];
  // A stream opens only once the customer's message is stored; `done` adds the reply when there is one.
  const start = exchange.events?.find((event) => event.event === 'start')?.data;
  const done = exchange.events?.find((event) => event.event === 'done')?.data;
  return [...new Set([start?.user_message_id, done?.message_ids.user, done?.message_ids.assistant])].filter(
    (id): id is string => typeof id === 'string',
  );
}

/**
 * Every conversation: sequence numbers 1…n without gaps, no message stored twice, every message a turn was told
 * about stored once, and each customer message at most once (exactly once when its turn was answered).
 */
export async function messageProblems(table: FaultTable, exchanges: Exchange[]): Promise<string[]> {
  const problems: string[] = [];
  const conversations = new Map<string, { tenantId: string; id: string; expectations: Expectation[] }>();
  for (const exchange of exchanges) {
    if ((exchange.kind !== 'chat' && exchange.kind !== 'stream') || !exchange.conversationId) continue;
    const key = `${exchange.tenantId}/${exchange.conversationId}`;
    const conversation = conversations.get(key) ?? {
      tenantId: exchange.tenantId,
      id: exchange.conversationId,
      expectations: [],
    };
    conversation.expectations.push({ exchange, ids: storedIds(exchange) });
    conversations.set(key, conversation);
  }
  for (const { tenantId, id, expectations } of conversations.values()) {
    const messages = await table.messages(tenantId, id);
    const seqs = messages.map((message) => Number(message.seq)).sort((a, b) => a - b);
    if (seqs.some((seq, index) => seq !== index + 1))
      problems.push(`conversation ${id}: sequence numbers ${seqs.join(',')} are not 1…${seqs.length}`);
    const byId = new Map<string, number>();
    for (const message of messages) byId.set(message.id, (byId.get(message.id) ?? 0) + 1);
    for (const [messageId, count] of byId)
      if (count > 1) problems.push(`conversation ${id}: message ${messageId} stored ${count} times`);
    for (const { exchange, ids } of expectations) {
      for (const messageId of ids)
        if (!byId.has(messageId))
          problems.push(`conversation ${id}: message ${messageId} of ${where(exchange)} is missing`);
      const asked = messages.filter(
        (message) => message.role === 'user' && message.text === exchange.message,
      );
      const answered = exchange.status === 200 && (exchange.kind === 'chat' || ids.length > 0);
      if (asked.length > 1 || (answered && asked.length !== 1))
        problems.push(
          `conversation ${id}: "${exchange.message}" stored ${asked.length} times (${where(exchange)})`,
        );
      if (exchange.kind === 'chat' && exchange.status === 200) {
        const reply = messages.find((message) => message.id === exchange.body.message_id);
        if (reply && reply.text !== exchange.body.text)
          problems.push(
            `conversation ${id}: reply ${reply.id} is stored with other words than were answered`,
          );
      }
    }
    const sent = new Set(expectations.map(({ exchange }) => exchange.message));
    for (const message of messages)
      if (message.role === 'user' && !sent.has(message.text))
        problems.push(`conversation ${id}: user message "${message.text}" was never sent`);
  }
  return problems;
}

const countBy = <T>(items: T[], key: (item: T) => string) => {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
};

/** The sentences the voice service speaks for a whole reply (short replies: no provider limit cuts them). */
function sentencesOf(modelText: string): number {
  return splitSentences(prepareForSpeech(modelText, { language: 'en-US' }), {
    maxInput: 100_000,
    unit: 'characters',
  }).length;
}

/**
 * Usage: each tenant's counters equal the sum of its records, every record that went through the dead-letter
 * directory is in the table once, and every answered speech has one record per sentence from the voice that spoke
 * it — no fewer (lost) and no more (written twice).
 */
export async function usageProblems(
  table: FaultTable,
  exchanges: Exchange[],
  tenantIds: string[],
  months: string[],
  deadLettered: Set<string>,
): Promise<string[]> {
  const problems: string[] = [];
  const records = new Map<string, UsageRecordItem[]>();
  const stored = new Map<string, number>();
  for (const tenantId of tenantIds) {
    const own = await table.usageRecords(tenantId, months);
    records.set(tenantId, own);
    for (const record of own) stored.set(record.id, (stored.get(record.id) ?? 0) + 1);
    const scopes = ['all', ...new Set(own.map((record) => `provider#${record.provider}`))];
    for (const scope of scopes) {
      const counted = own.filter((record) => scope === 'all' || `provider#${record.provider}` === scope);
      const counters = await Promise.all(months.map((month) => table.usageCounter(tenantId, month, scope)));
      const requests = counters.reduce((sum, counter) => sum + Number(counter?.requests ?? 0), 0);
      const characters = counters.reduce((sum, counter) => sum + Number(counter?.characters ?? 0), 0);
      const recordedCharacters = counted.reduce((sum, record) => sum + record.characters, 0);
      if (requests !== counted.length || characters !== recordedCharacters)
        problems.push(
          `${tenantId} ${scope}: counter says ${requests} records / ${characters} characters, ` +
            `the table holds ${counted.length} / ${recordedCharacters}`,
        );
    }
  }

  for (const id of deadLettered)
    if (stored.get(id) !== 1)
      problems.push(`dead-lettered usage record ${id} is in the table ${stored.get(id) ?? 0} times`);

  const ofRequest = (exchange: Exchange) =>
    (records.get(exchange.tenantId) ?? []).filter((record) => record.request_id === exchange.requestId);
  const modelTexts = new Map<string, string>();
  for (const exchange of exchanges) {
    if (exchange.status !== 200 || !exchange.requestId) continue;
    const mine = ofRequest(exchange);
    if (exchange.kind === 'speech') {
      const spoke = mine.filter(
        (record) => record.provider === exchange.body.provider && record.voice_id === exchange.body.voice_id,
      );
      const characters = spoke.reduce((sum, record) => sum + record.characters, 0);
      const cached = spoke.filter((record) => record.cached).length;
      if (
        spoke.length !== exchange.body.sentences ||
        characters !== exchange.body.characters ||
        cached !== exchange.body.cached_sentences
      )
        problems.push(
          `${where(exchange)}: ${exchange.body.sentences} sentences (${exchange.body.characters} characters, ` +
            `${exchange.body.cached_sentences} cached) spoken by ${exchange.body.provider}, ` +
            `${spoke.length} records (${characters}, ${cached} cached)`,
        );
    }
    if (exchange.kind === 'stream' && exchange.events?.some((event) => event.event === 'done')) {
      const spoken = countBy(
        exchange.events.filter((event) => event.event === 'audio'),
        (event) => String(event.data.provider),
      );
      const recorded = countBy(mine, (record) => record.provider);
      for (const provider of new Set([...spoken.keys(), ...recorded.keys()]))
        if ((spoken.get(provider) ?? 0) !== (recorded.get(provider) ?? 0))
          problems.push(
            `${where(exchange)}: ${spoken.get(provider) ?? 0} sentences spoken by ${provider}, ` +
              `${recorded.get(provider) ?? 0} records`,
          );
    }
    if (exchange.kind === 'chat' && exchange.body.voice?.spoke) {
      if (!modelTexts.has(exchange.body.message_id)) {
        const messages = await table.messages(exchange.tenantId, exchange.body.conversation_id);
        for (const message of messages)
          if (message.model_text) modelTexts.set(message.id, message.model_text);
      }
      const modelText = modelTexts.get(exchange.body.message_id);
      if (modelText === undefined) continue;
      const expected = sentencesOf(modelText);
      const spoke = mine.filter((record) => record.provider === exchange.body.provider).length;
      if (spoke !== expected)
        problems.push(
          `${where(exchange)}: ${expected} sentences spoken by ${exchange.body.provider}, ${spoke} records`,
        );
    }
  }
  return problems;
}

/** A cloned voice at ElevenLabs, with the labels the platform gave it. */
export interface ProviderVoice {
  voice_id: string;
  labels?: Record<string, string>;
}

/**
 * Every training ended ready (execution succeeded) or failed (execution failed); a ready one has exactly its one
 * voice at the provider, a failed one (or one never started) none.
 */
export function trainingProblems(trainings: Training[], voices: ProviderVoice[]): string[] {
  const problems: string[] = [];
  for (const training of trainings) {
    const label = `training of ${training.tenant.tenantId}/${training.personalityId} (job ${training.jobId ?? 'never started'})`;
    const status = training.final?.status;
    const own = voices.filter((voice) => voice.labels?.tenant === training.tenant.tenantId);
    const expected = { SUCCEEDED: 'ready', FAILED: 'failed' }[training.execution ?? ''];
    if (training.jobId && (expected === undefined || status !== expected)) {
      problems.push(`${label}: execution ${training.execution}, status ${JSON.stringify(training.final)}`);
      continue;
    }
    if (status === 'ready') {
      if (own.length !== 1 || own[0]!.voice_id !== training.final.voice_id)
        problems.push(
          `${label}: ready with voice ${training.final.voice_id}; the provider holds ${JSON.stringify(own)}`,
        );
    } else if (own.length > 0) {
      problems.push(
        `${label}: ${status ?? 'no training'}, yet the provider still holds ${JSON.stringify(own)}`,
      );
    }
  }
  return problems;
}
