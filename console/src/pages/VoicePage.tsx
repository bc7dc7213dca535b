// A personality's voice: pick and preview it, record samples, train a custom voice with consent, tune, test, and
// teach it pronunciations.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { ErrorState, LoadingState } from '../components/PageState.tsx';
import { useApi } from '../components/useApi.ts';
import { DeleteVoiceModal } from './voice/DeleteVoiceModal.tsx';
import { useSamples, useVoiceStatus } from './voice/hooks.ts';
import { LexiconSection } from './voice/LexiconSection.tsx';
import { SamplesSection } from './voice/SamplesSection.tsx';
import { TrainingSection } from './voice/TrainingSection.tsx';
import type { Personality, ProviderList } from './voice/types.ts';
import { VoicePickerSection } from './voice/VoicePickerSection.tsx';
import { VoiceSettingsSection } from './voice/VoiceSettingsSection.tsx';

export default function VoicePage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const loaded = useApi<Personality>(`/api/admin/ai-personalities/${encodeURIComponent(id)}`);
  // Saves answer with the personality one version on; keeping it avoids a read after every change.
  const [saved, setSaved] = useState<Personality>();
  useEffect(() => setSaved(undefined), [loaded.data]);
  const personality = saved ?? loaded.data;

  const providers = useApi<ProviderList>(
    personality ? `/api/admin/voice/providers?language=${encodeURIComponent(personality.language)}` : null,
  );
  const samples = useSamples(id);
  const status = useVoiceStatus(id);
  const [deleting, setDeleting] = useState(false);

  // A training that ends changes the personality's voice (or gives it back): read it and the voice lists again.
  const lastStatus = useRef(status.data?.status);
  const { reload: reloadPersonality } = loaded;
  const { reload: reloadProviders } = providers;
  useEffect(() => {
    const previous = lastStatus.current;
    lastStatus.current = status.data?.status;
    if (previous === 'training' && status.data?.status !== 'training') {
      reloadPersonality();
      reloadProviders();
    }
  }, [status.data?.status, reloadPersonality, reloadProviders]);

  const onVoiceDeleted = useCallback(() => {
    setDeleting(false);
    reloadPersonality();
    void status.reload();
    void samples.reload();
  }, [reloadPersonality, status, samples]);

  if (!personality) {
    return (
      <ContentLayout header={<Header variant="h1">Voice</Header>}>
        {loaded.error ? (
          <ErrorState error={loaded.error} onRetry={loaded.reload} />
        ) : (
          <LoadingState label="Loading the personality" />
        )}
      </ContentLayout>
    );
  }

  const hasCustomVoice =
    status.data?.status === 'ready' &&
    !!status.data.voice_id &&
    personality.voice_config?.voice_id === status.data.voice_id;

  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description="Choose how the personality sounds, clone a voice from recordings, and test it."
          actions={
            <SpaceBetween direction="horizontal" size="xs">
              <Button onClick={() => navigate(`/personalities/${encodeURIComponent(id)}`)}>
                Edit personality
              </Button>
              {hasCustomVoice ? <Button onClick={() => setDeleting(true)}>Delete custom voice</Button> : null}
            </SpaceBetween>
          }
        >
          {personality.emoji ? `${personality.emoji} ` : ''}
          {personality.name}: voice
        </Header>
      }
    >
      <SpaceBetween size="l">
        <VoicePickerSection personality={personality} providers={providers} onSaved={setSaved} />
        <SamplesSection personalityId={id} samples={samples} />
        <TrainingSection
          personality={personality}
          samples={samples.data}
          status={status}
          providers={providers.data?.providers}
        />
        <VoiceSettingsSection
          personality={personality}
          providers={providers.data?.providers}
          onSaved={setSaved}
        />
        <LexiconSection personalityId={id} />
      </SpaceBetween>
      {deleting && status.data?.voice_id ? (
        <DeleteVoiceModal
          personality={personality}
          voiceId={status.data.voice_id}
          onDismiss={() => setDeleting(false)}
          onDeleted={onVoiceDeleted}
        />
      ) : null}
    </ContentLayout>
  );
}
