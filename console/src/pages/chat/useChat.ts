// One conversation of the playground: send a message over the chat stream, stop it, open a stored conversation.
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { api, ApiError, streamSse } from '../../api.ts';
import { chatReducer, emptyChat } from './conversation.ts';
import type { PersonalitySummary, StartEvent, StoredConversation } from './types.ts';

export interface SendOptions {
  text: string;
  personality: PersonalitySummary;
  /** Told once the stream has said which conversation the message went to. */
  onStarted(start: StartEvent): void;
}

export function useChat() {
  const [state, dispatch] = useReducer(chatReducer, emptyChat);
  /** A message refused before the stream opened (nothing was stored). */
  const [sendError, setSendError] = useState<unknown>();
  /** A stored conversation that could not be opened. */
  const [openError, setOpenError] = useState<unknown>();
  const [opening, setOpening] = useState(false);
  const current = useRef<AbortController | undefined>(undefined);
  const turns = useRef(0);
  // The stream's events are applied to the conversation that was on screen when it was sent.
  const conversationId = useRef<string | undefined>(undefined);
  conversationId.current = state.conversationId;

  useEffect(() => () => current.current?.abort(), []);

  const send = useCallback(async ({ text, personality, onStarted }: SendOptions): Promise<boolean> => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    turns.current += 1;
    setSendError(undefined);
    setOpenError(undefined);
    setOpening(false);
    dispatch({ type: 'send', key: `turn-${turns.current}`, text, speaker: personality.name });
    let started = false;
    let done = false;
    try {
      await streamSse(
        '/api/chat/stream',
        {
          message: text,
          personality_id: personality.id,
          ...(conversationId.current ? { conversation_id: conversationId.current } : {}),
        },
        (event, data) => {
          if (controller.signal.aborted) return;
          if (event === 'start') {
            started = true;
            onStarted(data as StartEvent);
          }
          if (event === 'done') done = true;
          dispatch({ type: 'event', event, data });
        },
        controller.signal,
      );
      if (!done && !controller.signal.aborted) {
        dispatch({
          type: 'stopped',
          failure: {
            code: 'stream_cut',
            message: 'The reply stopped before it was complete. Send again to retry.',
          },
        });
      }
      return true;
    } catch (failure) {
      if (controller.signal.aborted) return true;
      if (!started) {
        // Refused before the stream opened: nothing was stored, so the message goes back to the composer.
        dispatch({ type: 'refused' });
        setSendError(failure);
        return false;
      }
      const message =
        failure instanceof ApiError || failure instanceof Error ? failure.message : 'The reply stopped.';
      dispatch({ type: 'stopped', failure: { code: 'stream_failed', message } });
      return true;
    } finally {
      if (current.current === controller) current.current = undefined;
    }
  }, []);

  const stop = useCallback(() => {
    current.current?.abort();
    current.current = undefined;
    dispatch({ type: 'stopped', failure: { code: 'stopped', message: 'You stopped the reply.' } });
  }, []);

  const reset = useCallback(() => {
    current.current?.abort();
    current.current = undefined;
    setSendError(undefined);
    setOpenError(undefined);
    setOpening(false);
    dispatch({ type: 'reset' });
  }, []);

  const open = useCallback(async (id: string, personalities: PersonalitySummary[]) => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    setSendError(undefined);
    setOpenError(undefined);
    setOpening(true);
    dispatch({ type: 'reset' });
    try {
      const conversation = await api<StoredConversation>(`/api/conversations/${encodeURIComponent(id)}`, {
        signal: controller.signal,
      });
      if (controller.signal.aborted) return undefined;
      dispatch({ type: 'loaded', conversation, personalities });
      return conversation;
    } catch (failure) {
      if (!controller.signal.aborted) setOpenError(failure);
      return undefined;
    } finally {
      if (current.current === controller) current.current = undefined;
      if (!controller.signal.aborted) setOpening(false);
    }
  }, []);

  const clearSendError = useCallback(() => setSendError(undefined), []);
  return { state, sendError, openError, opening, send, stop, reset, open, clearSendError };
}
