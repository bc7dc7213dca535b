// The streaming chat turn: text deltas as the model writes, and each sentence sent for speech as soon as it is
// complete, so the first audio is ready after the first sentence rather than after the whole reply.
import type { AuthContext } from '../http/auth.ts';
import type { SseWriter } from '../http/streaming.ts';
import { prepareForSpeech } from '../voice/speech-text.ts';
import { endsCompleteSentence, splitSentences } from '../voice/sentences.ts';
import { styleReply } from './agent.ts';
import { modelFailure, storeReply, trySpeak, type TurnStart } from './chat.ts';

/** Longer than any sentence needs: splitting here only finds where sentences end, not provider limits. */
const SENTENCE_SCAN_LIMIT = 100_000;

/**
 * Finds sentences the model has finished. The last piece of the text so far is held back while the model may still
 * be writing it, unless it ends as only a finished sentence can ("…great!", "…in stock."); everything before it is
 * complete. What is complete leaves for synthesis at once.
 */
export class SentenceFeeder {
  private pending = '';

  push(delta: string): string[] {
    this.pending += delta;
    const sentences = splitSentences(this.pending, { maxInput: SENTENCE_SCAN_LIMIT, unit: 'characters' });
    if (sentences.length > 0 && endsCompleteSentence(this.pending)) {
      this.pending = '';
      return sentences;
    }
    if (sentences.length < 2) return [];
    const complete = sentences.slice(0, -1);
    const last = sentences[sentences.length - 1]!;
    this.pending = this.pending.slice(this.pending.lastIndexOf(last));
    return complete;
  }

  /** Whatever is left once the model is done. */
  flush(): string[] {
    const rest = this.pending.trim();
    this.pending = '';
    return rest ? [rest] : [];
  }
}

/**
 * 1. The turn has begun as /api/chat begins it (conversation, personality, the customer's message stored), before
 *    the stream opened, so those refusals keep their status; `start` says where the reply goes.
 * 2. Stream the model's deltas as `text` events; each finished sentence starts its synthesis at once.
 * 3. `audio` events go out in sentence order, each as soon as its own and every earlier sentence is ready.
 * 4. The reply is stored with its sentences' audio, and `done` carries the stored message ids.
 * A model failure is an `error` event (the customer's message stays stored); a sentence that cannot be spoken is an
 * `error` event for that sentence, and the text goes on.
 */
export async function chatStream(
  auth: AuthContext,
  turn: TurnStart,
  events: SseWriter,
  requestId?: string,
): Promise<void> {
  events.send('start', {
    conversation_id: turn.conversationId,
    personality: { id: turn.personality.id, name: turn.personality.name },
    user_message_id: turn.userMessage.id,
    model_provider: turn.model.name,
  });

  const feeder = new SentenceFeeder();
  const audioKeys: string[] = [];
  let index = 0;
  let delivery: Promise<void> = Promise.resolve();
  const speakSentence = (sentence: string) => {
    if (!prepareForSpeech(sentence)) return;
    const sentenceIndex = index++;
    const spoken = trySpeak(auth.tenantId, turn.personality, sentence, requestId, turn.speech);
    delivery = delivery.then(async () => {
      const { spoken: audio, voice } = await spoken;
      if (events.closed) return;
      if (audio) {
        audioKeys.push(audio.audio_key);
        events.send('audio', {
          index: sentenceIndex,
          text: sentence,
          url: audio.audio_url,
          provider: audio.provider,
          cached: audio.cached,
          audio_seconds: audio.audio_seconds,
        });
      } else {
        events.send('error', { index: sentenceIndex, code: voice.reason, message: voice.message });
      }
    });
  };

  let text = '';
  try {
    for await (const delta of turn.model.stream({ ...turn.request, signal: events.signal })) {
      if (events.closed) break;
      text += delta;
      events.send('text', { delta });
      for (const sentence of feeder.push(delta)) speakSentence(sentence);
    }
  } catch (error) {
    const failure = modelFailure(error, turn);
    await delivery;
    events.send('error', { code: failure.code, message: failure.message, details: failure.details });
    events.send('done', {
      conversation_id: turn.conversationId,
      message_ids: { user: turn.userMessage.id, assistant: null },
    });
    return;
  }
  for (const sentence of feeder.flush()) speakSentence(sentence);
  await delivery;
  if (events.closed) return;

  const shown = styleReply(text, turn.personality, turn.assistantMessageId);
  await storeReply(auth, turn, {
    shown,
    modelText: text,
    audioKeys,
    meta: { model: turn.model.model, model_provider: turn.model.name, sentences: index },
  });
  events.send('done', {
    conversation_id: turn.conversationId,
    message_ids: { user: turn.userMessage.id, assistant: turn.assistantMessageId },
    text: shown,
    sentences: index,
    model: turn.model.model,
    model_provider: turn.model.name,
  });
}
