// The conversation on screen as a pure reducer: a customer's message, then the reply growing event by event.
import type {
  AudioEvent,
  DoneEvent,
  ErrorEvent,
  PersonalitySummary,
  SentenceAudio,
  ShownMessage,
  StartEvent,
  StoredConversation,
  TextEvent,
} from './types.ts';

export interface ChatState {
  conversationId?: string;
  messages: ShownMessage[];
  /** True from the post until `done`, a failure or a stop. */
  sending: boolean;
}

export type ChatAction =
  | { type: 'reset' }
  | { type: 'loaded'; conversation: StoredConversation; personalities: PersonalitySummary[] }
  | { type: 'send'; key: string; text: string; speaker: string }
  | { type: 'refused' }
  | { type: 'event'; event: string; data: unknown }
  | { type: 'stopped'; failure?: { code: string; message: string } };

export const emptyChat: ChatState = { messages: [], sending: false };

/** Applies a change to the reply being written, the last message while a turn is under way. */
function updateReply(state: ChatState, change: (reply: ShownMessage) => ShownMessage): ChatState {
  const last = state.messages[state.messages.length - 1];
  if (!last || last.role !== 'assistant' || last.status !== 'streaming') return state;
  return { ...state, messages: [...state.messages.slice(0, -1), change(last)] };
}

function addSentence(sentences: SentenceAudio[], sentence: SentenceAudio): SentenceAudio[] {
  return [...sentences.filter((known) => known.index !== sentence.index), sentence].sort(
    (a, b) => a.index - b.index,
  );
}

function applyEvent(state: ChatState, event: string, data: unknown): ChatState {
  switch (event) {
    case 'start': {
      const start = data as StartEvent;
      return updateReply({ ...state, conversationId: start.conversation_id }, (reply) => ({
        ...reply,
        speaker: start.personality.name,
      }));
    }
    case 'text': {
      const { delta } = data as TextEvent;
      return updateReply(state, (reply) => ({ ...reply, text: reply.text + delta }));
    }
    case 'audio': {
      const audio = data as AudioEvent;
      return updateReply(state, (reply) => ({
        ...reply,
        sentences: addSentence(reply.sentences, {
          index: audio.index,
          url: audio.url,
          ...(audio.text === undefined ? {} : { text: audio.text }),
          ...(audio.provider === undefined ? {} : { provider: audio.provider }),
          ...(audio.cached === undefined ? {} : { cached: audio.cached }),
        }),
      }));
    }
    case 'error': {
      const error = data as ErrorEvent;
      const failure = { code: error.code, message: error.message };
      if (typeof error.index === 'number') {
        const index = error.index;
        return updateReply(state, (reply) => ({
          ...reply,
          sentences: addSentence(reply.sentences, { index, failure }),
        }));
      }
      return updateReply(state, (reply) => ({ ...reply, failure }));
    }
    case 'done': {
      const done = data as DoneEvent;
      const next = updateReply({ ...state, conversationId: done.conversation_id }, (reply) => ({
        ...reply,
        // The styled text (with the personality's emoji) is the one stored; show what a reload will show.
        text: done.text ?? reply.text,
        status: reply.failure || !done.message_ids.assistant ? 'failed' : 'done',
        ...(done.sentences === undefined ? {} : { sentenceCount: done.sentences }),
      }));
      return { ...next, sending: false };
    }
    default:
      return state;
  }
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'reset':
      return emptyChat;
    case 'loaded':
      return {
        conversationId: action.conversation.id,
        sending: false,
        messages: shownMessages(action.conversation, action.personalities),
      };
    case 'send':
      return {
        ...state,
        sending: true,
        messages: [
          ...state.messages,
          {
            key: `${action.key}-you`,
            role: 'user',
            text: action.text,
            status: 'done',
            sentences: [],
            live: true,
          },
          {
            key: `${action.key}-reply`,
            role: 'assistant',
            text: '',
            speaker: action.speaker,
            status: 'streaming',
            sentences: [],
            live: true,
          },
        ],
      };
    case 'refused':
      // Nothing was stored: take back the message and the empty reply, the composer gets the text back.
      return { ...state, sending: false, messages: state.messages.slice(0, -2) };
    case 'event':
      return applyEvent(state, action.event, action.data);
    case 'stopped': {
      const failure = action.failure;
      const next = updateReply(state, (reply) => ({
        ...reply,
        status: 'failed',
        ...(failure ? { failure } : {}),
      }));
      return { ...next, sending: false };
    }
  }
}

/** A stored conversation as shown: replies carry their audio, one file per spoken sentence. */
export function shownMessages(
  conversation: StoredConversation,
  personalities: PersonalitySummary[],
): ShownMessage[] {
  const names = new Map(personalities.map((personality) => [personality.id, personality.name]));
  return conversation.messages.map((message) => ({
    key: message.id,
    role: message.role,
    text: message.text,
    ...(message.role === 'assistant'
      ? { speaker: names.get(message.personality_id) ?? message.personality_id }
      : {}),
    status: 'done',
    sentences: message.audio_urls.map((url, index) => ({ index, url })),
    live: false,
  }));
}
