// Conversations and their messages: one partition per conversation, each message at the next free sequence number.
import { randomBytes, randomUUID } from 'node:crypto';
import { config } from '../config.ts';
import { NotFoundError } from '../http/errors.ts';
import { isConditionFailure } from '../store/dynamodb.ts';
import { presignedDownloadUrl } from '../store/objects.ts';
import { table } from '../store/table.ts';

export interface Conversation {
  tenant_id: string;
  id: string;
  personality_id: string;
  created_at: string;
  updated_at: string;
}

export interface StoredMessage {
  tenant_id: string;
  conversation_id: string;
  seq: string;
  id: string;
  role: 'user' | 'assistant';
  text: string;
  model_text?: string;
  personality_id: string;
  audio_keys?: string[];
  meta?: Record<string, unknown>;
  created_at: string;
}

const SEQ_DIGITS = 8;
/** Concurrent writers each retry at the next number; this bounds a pathological pile-up, not normal traffic. */
const MAX_APPEND_ATTEMPTS = 50;

export const newConversationId = () => `c-${randomBytes(12).toString('hex')}`;
export const newMessageId = () => `m-${randomUUID().replace(/-/g, '')}`;

export function conversationNotFound(id: string): NotFoundError {
  return new NotFoundError('conversation_not_found', `No conversation "${id}" in this tenant.`);
}

export async function findConversation(tenantId: string, id: string): Promise<Conversation | undefined> {
  const { data } = await table().conversations.get({ tenant_id: tenantId, id }).go({ consistent: true });
  return (data as Conversation | null) ?? undefined;
}

/** Creates the conversation if it is new; the first of two racing creators wins, the other reads it. */
export async function ensureConversation(
  tenantId: string,
  id: string,
  personalityId: string,
): Promise<Conversation> {
  const now = new Date().toISOString();
  const conversation: Conversation = {
    tenant_id: tenantId,
    id,
    personality_id: personalityId,
    created_at: now,
    updated_at: now,
  };
  try {
    await table().conversations.create(conversation).go();
    return conversation;
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return (await findConversation(tenantId, id))!;
  }
}

async function lastSeq(tenantId: string, conversationId: string): Promise<number> {
  const { data } = await table()
    .conversationMessages.query.bySequence({ tenant_id: tenantId, conversation_id: conversationId })
    .go({ order: 'desc', limit: 1 });
  const last = data[0] as StoredMessage | undefined;
  return last ? Number(last.seq) : 0;
}

/** The sequence number of the newest of these messages (oldest first), 0 for none. */
export const lastSeqOf = (messages: StoredMessage[]): number => Number(messages.at(-1)?.seq ?? 0);

/**
 * Appends a message at the next sequence number. The write is conditional on that number being free; a writer that
 * loses the race reads the new last number and tries the next one, so nothing is lost and the order has no gaps.
 * `after` is the last number the caller has seen (a turn has just read the history): the first try goes right after
 * it, without reading the number again; were it stale, the condition fails and the number is read.
 */
export async function appendMessage(
  message: Omit<StoredMessage, 'seq' | 'id' | 'created_at'> & { id?: string },
  after?: number,
): Promise<StoredMessage> {
  const id = message.id ?? newMessageId();
  let seq = (after ?? (await lastSeq(message.tenant_id, message.conversation_id))) + 1;
  for (let attempt = 1; ; attempt += 1) {
    const stored: StoredMessage = {
      ...message,
      id,
      seq: String(seq).padStart(SEQ_DIGITS, '0'),
      created_at: new Date().toISOString(),
    };
    try {
      // The conversation's time is touched alongside, best effort: a message is being added either way.
      await Promise.all([
        table().conversationMessages.create(stored).go(),
        table()
          .conversations.patch({ tenant_id: message.tenant_id, id: message.conversation_id })
          .set({ updated_at: stored.created_at })
          .go()
          .catch(() => undefined),
      ]);
      return stored;
    } catch (error) {
      if (!isConditionFailure(error) || attempt >= MAX_APPEND_ATTEMPTS) throw error;
      seq = Math.max(seq + 1, (await lastSeq(message.tenant_id, message.conversation_id)) + 1);
      // A little spread, so writers that collided do not collide again in lockstep.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt, 5)));
    }
  }
}

/** All messages, oldest first. */
export async function conversationMessages(
  tenantId: string,
  conversationId: string,
): Promise<StoredMessage[]> {
  const { data } = await table()
    .conversationMessages.query.bySequence({ tenant_id: tenantId, conversation_id: conversationId })
    .go({ pages: 'all' });
  return data as StoredMessage[];
}

/** The newest messages, oldest first: what the agent trims history from. */
export async function recentMessages(
  tenantId: string,
  conversationId: string,
  limit: number,
): Promise<StoredMessage[]> {
  const { data } = await table()
    .conversationMessages.query.bySequence({ tenant_id: tenantId, conversation_id: conversationId })
    .go({ order: 'desc', limit });
  return (data as StoredMessage[]).reverse();
}

/** A conversation with its messages, each with fresh presigned links to its audio. */
export async function readConversation(tenantId: string, conversationId: string) {
  const conversation = await findConversation(tenantId, conversationId);
  if (!conversation) throw conversationNotFound(conversationId);
  const { audioBucket } = config();
  const messages = await conversationMessages(tenantId, conversationId);
  return {
    id: conversation.id,
    personality_id: conversation.personality_id,
    created_at: conversation.created_at,
    updated_at: conversation.updated_at,
    messages: await Promise.all(
      messages.map(async (message) => ({
        id: message.id,
        seq: Number(message.seq),
        role: message.role,
        text: message.text,
        personality_id: message.personality_id,
        audio_urls: await Promise.all(
          (message.audio_keys ?? []).map((key) => presignedDownloadUrl(audioBucket, key, 15 * 60)),
        ),
        created_at: message.created_at,
      })),
    ),
  };
}
