// One piece of generated speech: a labelled player, Stop and Download, and who spoke it at what cost.
import { forwardRef, useImperativeHandle, useRef, type ReactNode } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { SpeechAnswer } from './types.ts';

export interface SpeechResultHandle {
  stop(): void;
}

const REASONS: Record<string, string> = {
  provider_not_configured: 'the provider has no key here',
  custom_voice_not_ready: 'the custom voice is still training, or its training failed',
  plan_excludes_custom_voice: 'the plan speaks with default voices only',
  budget_exceeded: 'this month’s character budget is spent',
  retryable: 'the provider kept failing',
  rate_limited: 'the provider limited the rate of requests',
  timeout: 'the provider did not answer in time',
  quota_exceeded: 'the provider account’s quota is spent',
  auth: 'the provider refused the key',
  voice_not_found: 'the provider does not know the voice or model',
  invalid_request: 'the provider refused the input',
};

function Figure({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Box variant="awsui-key-label">{label}</Box>
      <div>{children}</div>
    </div>
  );
}

interface Props {
  speech: SpeechAnswer;
  /** Names the player for screen readers, e.g. "Test speech". */
  label: string;
  fileName: string;
  autoPlay?: boolean;
}

export const SpeechResult = forwardRef<SpeechResultHandle, Props>(function SpeechResult(
  { speech, label, fileName, autoPlay },
  ref,
) {
  const audio = useRef<HTMLAudioElement>(null);
  const stop = () => {
    if (!audio.current) return;
    audio.current.pause();
    audio.current.currentTime = 0;
  };
  useImperativeHandle(ref, () => ({ stop }));

  return (
    <SpaceBetween size="s">
      <audio
        ref={audio}
        controls
        autoPlay={autoPlay}
        src={speech.audio_url}
        aria-label={label}
        style={{ width: '100%', maxWidth: 480 }}
      >
        <track kind="captions" />
      </audio>
      <SpaceBetween direction="horizontal" size="xs">
        <Button onClick={stop} ariaLabel={`Stop ${label.toLowerCase()}`}>
          Stop
        </Button>
        <Button
          iconName="download"
          href={speech.audio_url}
          download={`${fileName}.${speech.format}`}
          ariaLabel={`Download ${label.toLowerCase()}`}
        >
          Download
        </Button>
      </SpaceBetween>
      <ColumnLayout columns={4} variant="text-grid" minColumnWidth={120}>
        <Figure label="Provider">
          {speech.provider} · {speech.voice_id}
        </Figure>
        <Figure label="Cached">
          {speech.cached
            ? 'Yes, no provider was paid'
            : `${speech.cached_sentences} of ${speech.sentences} sentences`}
        </Figure>
        <Figure label="Characters">{speech.characters}</Figure>
        <Figure label="Audio">{speech.audio_seconds.toFixed(1)} s</Figure>
      </ColumnLayout>
      {speech.fell_back ? (
        <Alert type="warning" header="Another voice spoke">
          <ul>
            {speech.fallback_reasons.map((attempt) => (
              <li key={`${attempt.provider}:${attempt.voice_id}:${attempt.reason}`}>
                {attempt.provider} {attempt.voice_id} was passed over:{' '}
                {REASONS[attempt.reason] ?? attempt.reason}
                {attempt.message ? ` (${attempt.message})` : ''}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
    </SpaceBetween>
  );
});
