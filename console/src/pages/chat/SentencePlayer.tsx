// A reply's audio, one <audio> per sentence, played in order: each starts when the one before it ends, and a sentence
// that has not arrived yet is waited for. Browsers may refuse to start audio on their own; then a Play button shows.
import { useCallback, useEffect, useRef, useState } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { SentenceAudio } from './types.ts';

interface Props {
  sentences: SentenceAudio[];
  /** Play as sentences arrive (a reply being written now) rather than waiting for Replay (a reply read back). */
  autoplay: boolean;
  /** Whether more sentences may still arrive. */
  streaming: boolean;
}

/** Only one sentence of the page speaks at a time: starting one pauses any other. */
function pauseOthers(playing: HTMLAudioElement): void {
  for (const element of document.querySelectorAll('audio')) {
    if (element !== playing && !element.paused) element.pause();
  }
}

export function SentencePlayer({ sentences, autoplay, streaming }: Props) {
  const elements = useRef(new Map<number, HTMLAudioElement>());
  const [cursor, setCursor] = useState(0);
  const [playing, setPlaying] = useState(false);
  // Held: nothing plays until a person asks (a reply read back, or one they paused).
  const [held, setHeld] = useState(!autoplay);
  const [blocked, setBlocked] = useState(false);

  const start = useCallback((index: number) => {
    const element = elements.current.get(index);
    if (!element) return;
    setCursor(index);
    setPlaying(true);
    setHeld(false);
    setBlocked(false);
    element.play().catch((error: unknown) => {
      setPlaying(false);
      if (error instanceof DOMException && error.name === 'NotAllowedError') setBlocked(true);
      // A file that cannot be played is skipped, so one bad sentence does not silence the rest.
      else if (!(error instanceof DOMException && error.name === 'AbortError')) setCursor(index + 1);
    });
  }, []);

  useEffect(() => {
    if (playing || held || blocked) return;
    const next = sentences.find((sentence) => sentence.index === cursor);
    if (!next) return;
    if ('failure' in next) setCursor(cursor + 1);
    else start(cursor);
  }, [sentences, cursor, playing, held, blocked, start]);

  const playable = sentences.filter((sentence) => 'url' in sentence);
  const firstPlayable = playable[0]?.index;

  const replay = () => {
    if (firstPlayable === undefined) return;
    const element = elements.current.get(firstPlayable);
    if (element) element.currentTime = 0;
    start(firstPlayable);
  };

  const control = playing ? (
    <Button iconName="pause" onClick={() => elements.current.get(cursor)?.pause()}>
      Pause
    </Button>
  ) : blocked ? (
    <Button variant="primary" iconName="caret-right-filled" onClick={() => start(cursor)}>
      Play
    </Button>
  ) : (
    <Button iconName="caret-right-filled" disabled={firstPlayable === undefined} onClick={replay}>
      Replay
    </Button>
  );

  if (sentences.length === 0) {
    return streaming ? null : (
      <Box variant="small" color="text-body-secondary">
        No audio for this message.
      </Box>
    );
  }

  return (
    <div role="group" aria-label="Reply audio">
      <SpaceBetween size="xs">
        <SpaceBetween size="xs" direction="horizontal" alignItems="center">
          {control}
          {blocked ? (
            <StatusIndicator type="info">
              Your browser did not let the audio start on its own.
            </StatusIndicator>
          ) : null}
        </SpaceBetween>
        <ol className="chat-sentences">
          {sentences.map((sentence) => {
            const label = `Sentence ${sentence.index + 1}`;
            return (
              <li key={sentence.index}>
                {'failure' in sentence ? (
                  <StatusIndicator type="warning">
                    {label} could not be spoken: {sentence.failure.message}
                  </StatusIndicator>
                ) : (
                  <SpaceBetween size="xxxs">
                    <Box variant="small" color="text-body-secondary">
                      {label}
                      {sentence.text ? `: ${sentence.text}` : ''}
                      {sentence.cached ? ' (from cache)' : ''}
                    </Box>
                    <audio
                      ref={(element) => {
                        if (element) elements.current.set(sentence.index, element);
                        else elements.current.delete(sentence.index);
                      }}
                      src={sentence.url}
                      controls
                      preload="metadata"
                      aria-label={label}
                      onPlay={(event) => {
                        pauseOthers(event.currentTarget);
                        setCursor(sentence.index);
                        setPlaying(true);
                        setHeld(false);
                        setBlocked(false);
                      }}
                      onPause={(event) => {
                        if (event.currentTarget.ended) return;
                        setPlaying(false);
                        setHeld(true);
                      }}
                      onEnded={() => {
                        setPlaying(false);
                        setCursor(sentence.index + 1);
                      }}
                      onError={() => {
                        if (sentence.index !== cursor) return;
                        setPlaying(false);
                        setCursor(sentence.index + 1);
                      }}
                    />
                  </SpaceBetween>
                )}
              </li>
            );
          })}
        </ol>
      </SpaceBetween>
    </div>
  );
}
