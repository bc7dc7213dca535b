// The chat agent's decisions: which personality answers, what the model is told, and how the reply is shown.
import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { getPersonality, listPersonalities } from '../personalities/personalities.ts';
import type { Personality } from '../personalities/schemas.ts';
import { buildSystemPrompt } from '../personalities/system-prompt.ts';
import type { ChatMessage, PersonaHints } from '../providers/llm/port.ts';
import { getTenantSettings } from '../tenants/tenants.ts';
import type { Conversation, StoredMessage } from './conversations.ts';

/** The last resort of the resolution chain: a built-in every tenant has. */
export const FALLBACK_PERSONALITY_ID = 'marcel';

export type PersonalitySource = 'request' | 'conversation' | 'primary' | 'first_active' | 'fallback';

async function activeOrUndefined(tenantId: string, id: string): Promise<Personality | undefined> {
  try {
    const personality = await getPersonality(tenantId, id);
    return personality.is_active ? personality : undefined;
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * The request's personality → the conversation's → the tenant's primary → its first active one → marcel.
 * A personality named in the request must exist and be active; the others are skipped when they no longer are.
 */
export async function resolvePersonality(
  tenantId: string,
  requested: string | undefined,
  conversation: Conversation | undefined,
): Promise<{ personality: Personality; source: PersonalitySource }> {
  if (requested) {
    const personality = await getPersonality(tenantId, requested);
    if (!personality.is_active) {
      throw new ConflictError(
        'personality_inactive',
        `personality_id: "${requested}" is not active; activate it or choose another.`,
      );
    }
    return { personality, source: 'request' };
  }
  if (conversation) {
    const personality = await activeOrUndefined(tenantId, conversation.personality_id);
    if (personality) return { personality, source: 'conversation' };
  }
  const { primary_personality_id: primary } = await getTenantSettings(tenantId);
  if (primary) {
    const personality = await activeOrUndefined(tenantId, primary);
    if (personality) return { personality, source: 'primary' };
  }
  const firstActive = (await listPersonalities(tenantId)).find((personality) => personality.is_active);
  if (firstActive) return { personality: firstActive, source: 'first_active' };
  return { personality: await getPersonality(tenantId, FALLBACK_PERSONALITY_ID), source: 'fallback' };
}

/** A rough token count (about four characters a token, plus a little per message) that never undercounts much. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 4;
}

/**
 * The messages the model sees: the system prompt, as much of the newest history as fits the budget (whole messages,
 * newest kept), and the customer's new message. The assistant's turns are given as the model wrote them, unstyled.
 */
export function modelMessages(
  personality: Personality,
  history: StoredMessage[],
  userMessage: string,
  historyBudgetTokens: number,
): ChatMessage[] {
  const kept: ChatMessage[] = [];
  let spent = 0;
  for (let index = history.length - 1; index >= 0; index -= 1) {
    const message = history[index]!;
    const content = message.role === 'assistant' ? (message.model_text ?? message.text) : message.text;
    const cost = estimateTokens(content);
    if (spent + cost > historyBudgetTokens) break;
    spent += cost;
    kept.unshift({ role: message.role, content });
  }
  return [
    { role: 'system', content: buildSystemPrompt(personality) },
    ...kept,
    { role: 'user', content: userMessage },
  ];
}

export function personaHints(personality: Personality): PersonaHints {
  return {
    name: personality.name,
    ...personality.response_style,
    ...(personality.traits.response_length ? { response_length: personality.traits.response_length } : {}),
  };
}

/** 0–99, the same for the same message id: styling decided by it can be asserted in tests and reproduced. */
function roll(messageId: string): number {
  return createHash('sha256').update(messageId).digest().readUInt16BE(0) % 100;
}

/**
 * The reply as shown: with the personality's emoji as often as its humour level says (level 7 → 70 % of replies),
 * decided by the message id. Only shown text is styled; speech is made from the model's own words.
 */
export function styleReply(text: string, personality: Personality, messageId: string): string {
  const emoji = personality.emoji?.trim();
  if (!emoji || text.includes(emoji)) return text;
  const level = personality.traits.humor_style === 'none' ? 0 : (personality.traits.humor_level ?? 3);
  return roll(messageId) < level * 10 ? `${text.trimEnd()} ${emoji}` : text;
}
