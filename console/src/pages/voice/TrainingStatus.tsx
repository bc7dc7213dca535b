// Where the custom voice's training stands: a progress bar with its step, then ready, or failed with the reason.
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import type { VoiceStatus } from './types.ts';

const STEPS: Record<string, string> = {
  queued: 'Queued',
  starting: 'Starting',
  checking_samples: 'Checking the recordings',
  samples_checked: 'Recordings checked',
  creating_voice: 'Creating the voice at the provider',
  waiting_for_provider: 'Waiting for the provider to finish the voice',
  making_sample_clip: 'Making a sample clip in the new voice',
  ready: 'Ready',
  failed: 'Failed',
};

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '');

export function TrainingStatus({ status }: { status: VoiceStatus }) {
  switch (status.status) {
    case 'none':
      return (
        <Box color="text-body-secondary">No custom voice has been trained for this personality yet.</Box>
      );
    case 'training':
      return (
        <ProgressBar
          value={status.progress}
          label="Training the custom voice"
          description={`Step: ${STEPS[status.step] ?? status.step}`}
          additionalInfo="The personality keeps its current voice until the new one is ready."
        />
      );
    case 'ready':
      return (
        <StatusIndicator type="success">
          Custom voice ready: {status.voice_id} ({status.provider})
          {status.updated_at ? `, ${when(status.updated_at)}` : ''}
        </StatusIndicator>
      );
    case 'failed':
      return (
        <Alert type="error" header="The training failed">
          {status.error?.message ?? 'The provider did not make the voice.'} The personality kept its previous
          voice.
        </Alert>
      );
  }
}
