// The speaker's consent and the training of a custom voice from the valid recordings, followed live until it ends.
import { useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { api, ApiError } from '../../api.ts';
import { ErrorState, errorMessage } from '../../components/PageState.tsx';
import { useSession } from '../../session.tsx';
import { clock } from './format.ts';
import type { useVoiceStatus } from './hooks.ts';
import { TrainingStatus } from './TrainingStatus.tsx';
import { voicePath, type Personality, type ProviderInfo, type SampleList } from './types.ts';

interface Props {
  personality: Personality;
  samples: SampleList | undefined;
  status: ReturnType<typeof useVoiceStatus>;
  providers: ProviderInfo[] | undefined;
}

const MIN_STATEMENT = 20;

export function defaultStatement(speaker: string, personality: string): string {
  return (
    `I, ${speaker.trim() || '[speaker’s name]'}, agree that the recordings I provided may be used to create a ` +
    `synthetic copy of my voice for the AI personality “${personality}”, which will speak to customers with it. ` +
    'I understand that I can withdraw this consent and have the voice deleted at any time.'
  );
}

/** What the API's refusal says, with when to try again when it limits the rate. */
function refusal(error: unknown): string {
  const message = errorMessage(error);
  if (!(error instanceof ApiError) || error.status !== 429) return message;
  const seconds = (error.details as { retry_after_seconds?: number } | undefined)?.retry_after_seconds;
  return seconds ? `${message} (Retry after ${clock(seconds)}.)` : message;
}

export function TrainingSection({ personality, samples, status, providers }: Props) {
  const session = useSession();
  const [speaker, setSpeaker] = useState('');
  const [attestedBy, setAttestedBy] = useState(session.user);
  const [statement, setStatement] = useState<string>();
  const [voiceName, setVoiceName] = useState('');
  const [provider, setProvider] = useState<string>();
  const [attested, setAttested] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [training, setTraining] = useState(false);
  const [failure, setFailure] = useState<unknown>();

  // The statement follows the speaker's name until the admin writes their own.
  const shownStatement = statement ?? defaultStatement(speaker, personality.name);
  const valid = samples?.samples.filter((sample) => sample.status === 'valid') ?? [];
  const validSeconds = samples?.valid_seconds ?? 0;
  const needed = samples?.needed_seconds ?? { min: 60, max: 600 };
  const cloners = (providers ?? []).filter((candidate) => candidate.clones_voices);
  const running = status.data?.status === 'training';

  const errors = {
    speaker: speaker.trim() ? undefined : 'Enter the name of the person whose voice is in the recordings.',
    attestedBy: attestedBy.trim() ? undefined : 'Enter your name or email.',
    statement:
      shownStatement.trim().length >= MIN_STATEMENT
        ? undefined
        : 'State, in a sentence, that the speaker agreed to have their voice cloned.',
    attested: attested ? undefined : 'Tick the box to attest the speaker’s consent.',
    samples: valid.length ? undefined : 'Upload at least one valid recording first.',
  };

  async function train() {
    setSubmitted(true);
    setFailure(undefined);
    if (Object.values(errors).some(Boolean)) return;
    setTraining(true);
    try {
      await api(`${voicePath(personality.id)}/train`, {
        method: 'POST',
        body: {
          sample_ids: valid.map((sample) => sample.id),
          ...(provider ? { provider } : {}),
          ...(voiceName.trim() ? { voice_name: voiceName.trim() } : {}),
          consent: {
            speaker_name: speaker.trim(),
            statement: shownStatement.trim(),
            attested_by: attestedBy.trim(),
          },
        },
      });
      await status.reload();
    } catch (error) {
      setFailure(error);
    } finally {
      setTraining(false);
    }
  }

  const shown = (message: string | undefined) => (submitted ? message : undefined);
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="A custom voice is trained only with the speaker’s consent, recorded with the training."
        >
          Consent and training
        </Header>
      }
    >
      <SpaceBetween size="l">
        {status.error && !status.data ? (
          <ErrorState error={status.error} onRetry={() => void status.reload()} />
        ) : null}
        {status.data ? <TrainingStatus status={status.data} /> : null}
        <ColumnLayout columns={2} minColumnWidth={220}>
          <FormField label="Speaker’s name" errorText={shown(errors.speaker)}>
            <Input value={speaker} onChange={({ detail }) => setSpeaker(detail.value)} disabled={running} />
          </FormField>
          <FormField
            label="Attested by"
            description="Your name or email, recorded with the consent."
            errorText={shown(errors.attestedBy)}
          >
            <Input
              value={attestedBy}
              onChange={({ detail }) => setAttestedBy(detail.value)}
              disabled={running}
            />
          </FormField>
        </ColumnLayout>
        <FormField
          label="Consent statement"
          description="What the speaker agreed to, in their words or yours. Edit it to match the agreement you hold."
          errorText={shown(errors.statement)}
          stretch
        >
          <Textarea
            value={shownStatement}
            onChange={({ detail }) => setStatement(detail.value)}
            rows={4}
            disabled={running}
          />
        </FormField>
        <ColumnLayout columns={2} minColumnWidth={220}>
          <FormField
            label={
              <span>
                Voice name <i>- optional</i>
              </span>
            }
          >
            <Input
              value={voiceName}
              onChange={({ detail }) => setVoiceName(detail.value)}
              placeholder={`${personality.name} (custom)`}
              disabled={running}
            />
          </FormField>
          {cloners.length > 1 ? (
            <FormField label="Cloning provider">
              <Select
                selectedOption={provider ? { value: provider, label: provider } : null}
                onChange={({ detail }) => setProvider(detail.selectedOption.value)}
                options={cloners.map((candidate) => ({ value: candidate.name, label: candidate.name }))}
                placeholder="Chosen by the platform"
                disabled={running}
              />
            </FormField>
          ) : null}
        </ColumnLayout>
        <FormField errorText={shown(errors.attested)}>
          <Checkbox
            checked={attested}
            onChange={({ detail }) => setAttested(detail.checked)}
            disabled={running}
          >
            I attest that the speaker named above agreed to the statement above, and that their voice may be
            cloned for this personality.
          </Checkbox>
        </FormField>
        <Box color={validSeconds < needed.min ? 'text-status-warning' : 'text-body-secondary'}>
          Trains on {valid.length} valid {valid.length === 1 ? 'recording' : 'recordings'},{' '}
          {clock(validSeconds)} in total (a voice needs {clock(needed.min)} to {clock(needed.max)}).
        </Box>
        {submitted && errors.samples ? <Alert type="warning">{errors.samples}</Alert> : null}
        {failure ? (
          <Alert type="error" header="The training did not start">
            {refusal(failure)}
          </Alert>
        ) : null}
        <Box textAlign="right">
          <Button variant="primary" onClick={train} loading={training} disabled={running}>
            Train voice
          </Button>
        </Box>
      </SpaceBetween>
    </Container>
  );
}
