// Requests and answers of chat: a customer's message in, the personality's reply out, as text and speech.
import * as z from 'zod';
import { PersonalityId, TtsProviderName } from '../personalities/schemas.ts';

export const MAX_MESSAGE_CHARACTERS = 4000;

export const ConversationId = z
  .string()
  .regex(/^c-[a-f0-9]{16,40}$/, 'must be a conversation id such as c-1a2b…');

export const ChatRequest = z
  .strictObject({
    message: z
      .string()
      .refine((text) => text.trim().length > 0, 'must not be empty')
      .refine(
        (text) => text.length <= MAX_MESSAGE_CHARACTERS,
        `must be at most ${MAX_MESSAGE_CHARACTERS} characters`,
      ),
    conversation_id: ConversationId.optional(),
    personality_id: PersonalityId.optional(),
  })
  .meta({ id: 'ChatRequest' });
export type ChatRequest = z.infer<typeof ChatRequest>;

const VoiceOutcome = z
  .object({
    spoke: z.boolean(),
    reason: z
      .string()
      .optional()
      .describe('Why there is no audio: no_voice_available, speech_unavailable, nothing_to_say'),
    message: z.string().optional(),
    fell_back: z.boolean().optional(),
  })
  .meta({ id: 'VoiceOutcome' });

export const ChatAnswer = z
  .object({
    text: z.string().describe('The reply as shown, in the personality’s style'),
    audio_url: z
      .string()
      .nullable()
      .describe('Presigned for 15 minutes; null when the reply could not be spoken'),
    personality: z.object({ id: PersonalityId, name: z.string() }),
    conversation_id: ConversationId,
    message_id: z.string(),
    provider: TtsProviderName.nullable(),
    cached: z.boolean(),
    model: z.string(),
    model_provider: z
      .enum(['openai', 'offline'])
      .describe('offline: the built-in phrase-book model, used without a key'),
    voice: VoiceOutcome,
  })
  .meta({ id: 'ChatAnswer' });
export type ChatAnswer = z.infer<typeof ChatAnswer>;

export const ConversationParams = z.strictObject({ id: ConversationId });

export const ConversationAnswer = z
  .object({
    id: ConversationId,
    personality_id: PersonalityId,
    created_at: z.string(),
    updated_at: z.string(),
    messages: z.array(
      z.object({
        id: z.string(),
        seq: z.int(),
        role: z.enum(['user', 'assistant']),
        text: z.string(),
        personality_id: PersonalityId,
        audio_urls: z.array(z.string()).describe('Fresh presigned links, one per stored audio file'),
        created_at: z.string(),
      }),
    ),
  })
  .meta({ id: 'Conversation' });
