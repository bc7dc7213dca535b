// A chat turn: the customer's message stored, the model's reply written in the personality's voice, spoken, stored.
import type { AuthContext } from '../http/auth.ts';
import { AppError } from '../http/errors.ts';
import type { Personality } from '../personalities/schemas.ts';
import { logger } from '../powertools.ts';
import { ChatModelError, type ChatModel } from '../providers/llm/port.ts';
import { chatModel } from '../providers/llm/registry.ts';
import { config } from '../config.ts';
import { speak, type SpokenAudio } from '../voice/voice-service.ts';
import { modelMessages, personaHints, resolvePersonality, styleReply } from './agent.ts';
import {
  appendMessage,
  conversationNotFound,
  ensureConversation,
  findConversation,
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
}

/**
 * The part of a turn both routes share.
 * 1. An existing conversation must be this tenant's (another tenant's is simply not found).
 * 2. The personality is resolved; the conversation is created on its first message.
 * 3. The customer's message is stored before the model is asked, so it is kept whatever the model does.
 */
export async function beginTurn(auth: AuthContext, chat: ChatRequest): Promise<TurnStart> {
  const existing = chat.conversation_id
    ? await findConversation(auth.tenantId, chat.conversation_id)
    : undefined;
  if (chat.conversation_id && !existing) throw conversationNotFound(chat.conversation_id);
  const { personality } = await resolvePersonality(auth.tenantId, chat.personality_id, existing);
  const conversationId = existing?.id ?? newConversationId();
  if (!existing) await ensureConversation(auth.tenantId, conversationId, personality.id);
  const history = await recentMessages(auth.tenantId, conversationId, HISTORY_WINDOW);
  const userMessage = await appendMessage({
    tenant_id: auth.tenantId,
    conversation_id: conversationId,
    role: 'user',
    text: chat.message,
    personality_id: personality.id,
  });
  const assistantMessageId = newMessageId();
  return {
    conversationId,
    personality,
    userMessage,
    model: await chatModel(),
    assistantMessageId,
    request: {
      messages: modelMessages(personality, history, chat.message, config().chat.historyTokens),
      seed: assistantMessageId,
      persona: personaHints(personality),
    },
  };
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
): Promise<{ spoken?: SpokenAudio; voice: VoiceOutcome }> {
  try {
    const spoken = await speak({ tenantId, personality, text, format: 'mp3', requestId });
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
  const { spoken, voice } = await trySpeak(auth.tenantId, turn.personality, reply.text, requestId);
  await appendMessage({
    id: turn.assistantMessageId,
    tenant_id: auth.tenantId,
    conversation_id: turn.conversationId,
    role: 'assistant',
    text: shown,
    model_text: reply.text,
    personality_id: turn.personality.id,
    ...(spoken ? { audio_keys: [spoken.audio_key] } : {}),
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
