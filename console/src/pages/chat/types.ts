// What the chat playground reads from the API (GET /api/personalities, GET /api/conversations/{id}, the chat stream)
// and how it keeps a conversation on screen.

export interface PersonalitySummary {
  id: string;
  name: string;
  emoji?: string;
  language?: string;
}

export interface PersonalityList {
  personalities: PersonalitySummary[];
}

export interface StoredConversation {
  id: string;
  personality_id: string;
  created_at: string;
  updated_at: string;
  messages: {
    id: string;
    seq: number;
    role: 'user' | 'assistant';
    text: string;
    personality_id: string;
    audio_urls: string[];
    created_at: string;
  }[];
}

/** The data of each event of POST /api/chat/stream (docs/chat.md). */
export interface StartEvent {
  conversation_id: string;
  personality: { id: string; name: string };
  user_message_id: string;
  model_provider: string;
}
export interface TextEvent {
  delta: string;
}
export interface AudioEvent {
  index: number;
  text?: string;
  url: string;
  provider?: string | null;
  cached?: boolean;
  audio_seconds?: number;
}
export interface ErrorEvent {
  code: string;
  message: string;
  /** Set when one sentence could not be spoken; the reply goes on. */
  index?: number;
}
export interface DoneEvent {
  conversation_id: string;
  message_ids: { user: string; assistant: string | null };
  text?: string;
  sentences?: number;
  model?: string;
  model_provider?: string;
}

/** One sentence of a reply: its audio, or why it could not be spoken. */
export type SentenceAudio =
  | { index: number; url: string; text?: string; provider?: string | null; cached?: boolean }
  | { index: number; failure: { code: string; message: string }; text?: string };

export interface ShownMessage {
  key: string;
  role: 'user' | 'assistant';
  text: string;
  /** Who spoke: the personality's name for a reply. */
  speaker?: string;
  /** `streaming` while the reply is being written and spoken. */
  status: 'streaming' | 'done' | 'failed';
  sentences: SentenceAudio[];
  /** How many sentences the reply was split into for speech, once known. */
  sentenceCount?: number;
  failure?: { code: string; message: string };
  /** Replies of this page's own turns play as they arrive; loaded ones wait for Replay. */
  live: boolean;
}
