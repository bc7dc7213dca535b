// A chat turn: the customer's message stored, the model's reply written in the personality's voice, spoken, stored.
import type { AuthContext } from '../http/auth.ts';
import { AppError } from '../http/errors.ts';
import type { Personality } from '../personalities/schemas.ts';
import { logger } from '../powertools.ts';
import { ChatModelError, type ChatModel } from '../providers/llm/port.ts';
import { chatModel } from '../providers/llm/registry.ts';
import { config } from '../config.ts';
import { allSettled } from '../settled.ts';
import { speechContext, type SpeechContext } from '../voice/speech-context.ts';
import { speak, type SpokenAudio } from '../voice/voice-service.ts';
import { modelMessages, personaHints, resolvePersonality, styleReply } from './agent.ts';
import {
  appendMessage,
  conversationNotFound,
  ensureConversation,
  findConversation,
  lastSeqOf,
  newConversationId,
  newMessageId,
  recentMessages,
  type StoredMessage,
} from './conversations.ts';
import type { ChatAnswer, ChatRequest } from './schemas.ts';

/** How many stored messages are read to trim history from; the token budget decides how many are sent. */
const HISTORY_WINDOW = 60;

export interface TurnStart {
  conversationId: string;
  personality: Personality;
  userMessage: StoredMessage;
  model: ChatModel;
  assistantMessageId: string;
  request: Parameters<ChatModel['complete']>[0];
  /** Read while the model writes, for every sentence of the reply. */
  speech: Promise<SpeechContext>;
}

/**
 * The part of a turn both routes share.
 * 1. An existing conversation must be this tenant's (another tenant's is simply not found); its history is read at
 *    the same time, and so is the personality the request names.
 * 2. The personality is resolved; the conversation is created on its first message.
 * 3. The customer's message is stored before the model is asked, so it is kept whatever the model does; what speech
 *    needs is read meanwhile.
 */
export async function beginTurn(auth: AuthContext, chat: ChatRequest): Promise<TurnStart> {
  const { tenantId } = auth;
  const conversationRead = chat.conversation_id
    ? findConversation(tenantId, chat.conversation_id)
    : Promise.resolve(undefined);
  const historyRead = chat.conversation_id
    ? recentMessages(tenantId, chat.conversation_id, HISTORY_WINDOW)
    : Promise.resolve([]);
  const personalityRead = chat.personality_id
    ? resolvePersonality(tenantId, chat.personality_id, undefined)
    : conversationRead.then((conversation) => resolvePersonality(tenantId, undefined, conversation));
  // Awaited below unless the conversation fails first; its own failure must not go unhandled meanwhile.
  personalityRead.catch(() => undefined);
  // An unknown conversation is the answer even when the personality is wrong too.
  const [existing, history] = await allSettled([conversationRead, historyRead]);
  if (chat.conversation_id && !existing) throw conversationNotFound(chat.conversation_id);
  const { personality } = await personalityRead;
  const conversationId = existing?.id ?? newConversationId();
  if (!existing) await ensureConversation(tenantId, conversationId, personality.id);
  const userMessage = await appendMessage(
    {
      tenant_id: tenantId,
      conversation_id: conversationId,
      role: 'user',
      text: chat.message,
      personality_id: personality.id,
    },
    lastSeqOf(history),
  );
  // Started now, so these reads wait alongside the model rather than before it or after it.
  const speech = speechContext(tenantId, personality.id);
  const assistantMessageId = newMessageId();
  return {
    conversationId,
    personality,
    userMessage,
    speech,
    model: await chatModel(),
    assistantMessageId,
    request: {
      messages: modelMessages(personality, history, chat.message, config().chat.historyTokens),
      seed: assistantMessageId,
      persona: personaHints(personality),
    },
  };
}

/**
 * Stores the personality's reply: the styled text shown, the model's own words kept for the history. It goes right
 * after the customer's message, the last number this turn has seen.
 */
export async function storeReply(
  auth: AuthContext,
  turn: TurnStart,
  reply: {
    shown: string;
    modelText: string;
    audioKeys?: string[] | undefined;
    meta: Record<string, unknown>;
  },
): Promise<void> {
  await appendMessage(
    {
      id: turn.assistantMessageId,
      tenant_id: auth.tenantId,
      conversation_id: turn.conversationId,
      role: 'assistant',
      text: reply.shown,
      model_text: reply.modelText,
      personality_id: turn.personality.id,
      ...(reply.audioKeys ? { audio_keys: reply.audioKeys } : {}),
      meta: reply.meta,
    },
    Number(turn.userMessage.seq),
  );
}

export function modelFailure(error: unknown, turn: TurnStart): AppError {
  const kind = error instanceof ChatModelError ? error.kind : 'retryable';
  logger.error('chat model failed', { kind, error: error as Error });
  return new AppError(
    502,
    'model_unavailable',
    `The language model did not answer (${kind}); your message was kept in the conversation. Try again shortly.`,
    { conversation_id: turn.conversationId, user_message_id: turn.userMessage.id, kind },
  );
}

export type VoiceOutcome = ChatAnswer['voice'];

/** Refusals of speech that leave the reply as text: nothing to read aloud, or a plan or month without voice. */
const TEXT_ONLY_REASONS = new Set(['nothing_to_say', 'plan_no_voice', 'budget_exhausted']);

/** Speech for a reply, or the reason there is none: a speech failure never fails the chat. */
export async function trySpeak(
  tenantId: string,
  personality: Personality,
  text: string,
  requestId?: string,
  context?: Promise<SpeechContext>,
): Promise<{ spoken?: SpokenAudio; voice: VoiceOutcome }> {
  try {
    const spoken = await speak({ tenantId, personality, text, format: 'mp3', requestId, context });
    return { spoken, voice: { spoke: true, fell_back: spoken.fell_back } };
  } catch (error) {
    if (error instanceof AppError && error.status < 500 && !TEXT_ONLY_REASONS.has(error.code)) throw error;
    const reason = error instanceof AppError ? error.code : 'speech_failed';
    if (!(error instanceof AppError)) logger.error('speech failed unexpectedly', { error: error as Error });
    const message = error instanceof AppError ? error.message : 'The reply could not be spoken.';
    return { voice: { spoke: false, reason, message } };
  }
}

/** POST /api/chat: the whole reply, then its speech. */
export async function chatTurn(
  auth: AuthContext,
  chat: ChatRequest,
  requestId?: string,
): Promise<ChatAnswer> {
  const turn = await beginTurn(auth, chat);
  let reply;
  try {
    reply = await turn.model.complete(turn.request);
  } catch (error) {
    throw modelFailure(error, turn);
  }
  const shown = styleReply(reply.text, turn.personality, turn.assistantMessageId);
  const { spoken, voice } = await trySpeak(
    auth.tenantId,
    turn.personality,
    reply.text,
    requestId,
    turn.speech,
  );
  await storeReply(auth, turn, {
    shown,
    modelText: reply.text,
    audioKeys: spoken ? [spoken.audio_key] : undefined,
    meta: {
      model: reply.model,
      model_provider: turn.model.name,
      voice,
      ...(spoken ? { provider: spoken.provider } : {}),
    },
  });
  return {
    text: shown,
    audio_url: spoken?.audio_url ?? null,
    personality: { id: turn.personality.id, name: turn.personality.name },
    conversation_id: turn.conversationId,
    message_id: turn.assistantMessageId,
    provider: spoken?.provider ?? null,
    cached: spoken?.cached ?? false,
    model: reply.model,
    model_provider: turn.model.name,
    voice,
  };
}
