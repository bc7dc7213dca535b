// The provider, voice and model the personality speaks with, a preview of the saved voice, and saving a new choice.
import { useEffect, useMemo, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { api } from '../../api.ts';
import { useNotify } from '../../components/Notifications.tsx';
import { ErrorState, errorMessage, LoadingState } from '../../components/PageState.tsx';
import { rangesOf, settingsFor } from './settings.ts';
import { SpeechResult } from './SpeechResult.tsx';
import {
  voicePath,
  type Personality,
  type ProviderList,
  type ProviderName,
  type SpeechAnswer,
} from './types.ts';

interface Props {
  personality: Personality;
  providers: { data: ProviderList | undefined; error: unknown; loading: boolean; reload(): void };
  onSaved(personality: Personality): void;
}

const STATUS_TEXT = {
  none: { type: 'info', text: 'Stock voice' },
  training: { type: 'in-progress', text: 'Custom voice training' },
  ready: { type: 'success', text: 'Custom voice ready' },
  failed: { type: 'error', text: 'Custom voice failed' },
} as const;

export function VoicePickerSection({ personality, providers, onSaved }: Props) {
  const notify = useNotify();
  const voice = personality.voice_config;
  const [provider, setProvider] = useState<ProviderName | undefined>(voice?.provider);
  const [voiceId, setVoiceId] = useState(voice?.voice_id);
  const [model, setModel] = useState(voice?.model);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const [preview, setPreview] = useState<SpeechAnswer>();
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<unknown>();

  // A save, a training or a deletion changes the voice: start again from what is stored.
  useEffect(() => {
    setProvider(voice?.provider);
    setVoiceId(voice?.voice_id);
    setModel(voice?.model);
  }, [personality.version, voice?.provider, voice?.voice_id, voice?.model]);

  const configured = providers.data?.providers ?? [];
  const chosen = configured.find((candidate) => candidate.name === provider);
  const currentConfigured = !voice || configured.some((candidate) => candidate.name === voice.provider);

  const providerOptions: SelectProps.Option[] = configured.map((candidate) => ({
    value: candidate.name,
    label: candidate.name,
    description: `${candidate.voices.length} voices${candidate.clones_voices ? ' · clones voices' : ''}`,
  }));
  const voiceOptions = useMemo<SelectProps.Option[]>(
    () =>
      (chosen?.voices ?? []).map((candidate) => ({
        value: candidate.id,
        label: candidate.name,
        description: [candidate.id, candidate.gender, candidate.languages.join(', ')]
          .filter(Boolean)
          .join(' · '),
        ...(candidate.custom ? { tags: ['custom'] } : {}),
      })),
    [chosen],
  );
  const modelOptions: SelectProps.Option[] = (chosen?.models ?? []).map((candidate) => ({
    value: candidate.id,
    label: candidate.id,
    description: candidate.description,
    tags: [
      `$${candidate.usd_per_million_characters} per million characters`,
      ...(candidate.retires_on ? [`retires ${candidate.retires_on}`] : []),
    ],
  }));
  const selectedVoice =
    voiceOptions.find((option) => option.value === voiceId) ??
    (voiceId
      ? { value: voiceId, label: voiceId === voice?.voice_id ? (voice.voice_name ?? voiceId) : voiceId }
      : null);
  const selectedModel = modelOptions.find((option) => option.value === model) ?? null;

  const changed = provider !== voice?.provider || voiceId !== voice?.voice_id || model !== voice?.model;
  const training = voice?.status === 'training';

  async function save() {
    if (!provider || !voiceId) return;
    setSaving(true);
    setSaveError(undefined);
    const name = chosen?.voices.find((candidate) => candidate.id === voiceId)?.name;
    try {
      const updated = await api<Personality>(
        `/api/admin/ai-personalities/${encodeURIComponent(personality.id)}`,
        {
          method: 'PUT',
          body: {
            voice_config: {
              provider,
              voice_id: voiceId,
              ...(name
                ? { voice_name: name }
                : voiceId === voice?.voice_id && voice.voice_name
                  ? { voice_name: voice.voice_name }
                  : {}),
              ...(model ? { model } : {}),
              language: voice?.language ?? personality.language,
              // Settings carry over only where the new provider applies them, within its ranges.
              settings: settingsFor(rangesOf(provider, configured), voice?.settings),
              ...(voice?.fallback ? { fallback: voice.fallback } : {}),
            },
            version: personality.version,
          },
        },
      );
      onSaved(updated);
      setPreview(undefined);
      notify({
        type: 'success',
        content: `${personality.name} now speaks with ${name ?? voiceId} (${provider}).`,
      });
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  }

  async function playPreview() {
    setPreviewing(true);
    setPreviewError(undefined);
    try {
      setPreview(await api<SpeechAnswer>(`${voicePath(personality.id)}/sample`));
    } catch (error) {
      setPreviewError(error);
    } finally {
      setPreviewing(false);
    }
  }

  const status = STATUS_TEXT[voice?.status ?? 'none'];
  return (
    <Container
      header={
        <Header
          variant="h2"
          description="The provider and voice the personality speaks with. The preview plays the saved voice."
          actions={
            <Button onClick={playPreview} loading={previewing} disabled={!voice}>
              Preview saved voice
            </Button>
          }
        >
          Voice
        </Header>
      }
    >
      <SpaceBetween size="l">
        <ColumnLayout columns={3} variant="text-grid" minColumnWidth={150}>
          <div>
            <Box variant="awsui-key-label">Speaks with</Box>
            <div>
              {voice ? `${voice.voice_name ?? voice.voice_id} (${voice.provider})` : 'The default voice'}
            </div>
          </div>
          <div>
            <Box variant="awsui-key-label">Voice status</Box>
            <StatusIndicator type={status.type}>{status.text}</StatusIndicator>
          </div>
          <div>
            <Box variant="awsui-key-label">Fallback</Box>
            <div>
              {voice?.fallback
                ? `${voice.fallback.voice_id} (${voice.fallback.provider})`
                : 'The tenant’s default'}
            </div>
          </div>
        </ColumnLayout>
        {previewError ? (
          <Alert type="error" header="The preview could not be made">
            {errorMessage(previewError)}
          </Alert>
        ) : null}
        {preview ? (
          <SpeechResult
            speech={preview}
            label="Voice preview"
            fileName={`${personality.id}-preview`}
            autoPlay
          />
        ) : null}
        {providers.loading && !providers.data ? <LoadingState label="Loading providers and voices" /> : null}
        {providers.error ? <ErrorState error={providers.error} onRetry={providers.reload} /> : null}
        {providers.data && !currentConfigured && voice ? (
          <Alert type="info" header={`${voice.provider} is not configured here`}>
            This deployment has no key for {voice.provider}, so the personality speaks with its fallback or
            the default voice. Choose a configured provider below to hear it here.
          </Alert>
        ) : null}
        {providers.data && configured.length === 0 ? (
          <Alert type="warning" header="No speech provider is configured">
            Add a provider key to the deployment to choose a voice.
          </Alert>
        ) : null}
        {configured.length > 0 ? (
          <ColumnLayout columns={3} minColumnWidth={200}>
            <FormField label="Provider" errorText={chosen?.error}>
              <Select
                selectedOption={providerOptions.find((option) => option.value === provider) ?? null}
                onChange={({ detail }) => {
                  const next = configured.find((candidate) => candidate.name === detail.selectedOption.value);
                  setProvider(next?.name);
                  setVoiceId(next?.voices[0]?.id);
                  setModel(next?.default_model);
                }}
                options={providerOptions}
                placeholder="Choose a provider"
                disabled={training}
              />
            </FormField>
            <FormField
              label="Voice"
              description={chosen ? `${chosen.voices.length} voices for ${personality.language}` : undefined}
            >
              <Select
                selectedOption={selectedVoice}
                onChange={({ detail }) => setVoiceId(detail.selectedOption.value)}
                options={voiceOptions}
                filteringType="auto"
                filteringAriaLabel="Filter voices"
                placeholder="Choose a voice"
                empty={`No voices for ${personality.language}`}
                disabled={!chosen || training}
              />
            </FormField>
            <FormField label="Model" description="Optional; the provider’s default otherwise.">
              <Select
                selectedOption={selectedModel}
                onChange={({ detail }) => setModel(detail.selectedOption.value)}
                options={modelOptions}
                placeholder={chosen ? `Default (${chosen.default_model})` : 'Choose a model'}
                disabled={!chosen || training}
              />
            </FormField>
          </ColumnLayout>
        ) : null}
        {training ? (
          <Box color="text-status-info">The voice cannot change while a custom voice is training.</Box>
        ) : null}
        {saveError ? (
          <Alert type="error" header="The voice was not saved">
            {errorMessage(saveError)}
          </Alert>
        ) : null}
        {configured.length > 0 ? (
          <Box float="right">
            <Button
              variant="primary"
              onClick={save}
              loading={saving}
              disabled={!changed || !voiceId || training}
            >
              Save voice
            </Button>
          </Box>
        ) : null}
      </SpaceBetween>
    </Container>
  );
}
