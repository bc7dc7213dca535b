// Tuning the voice: a slider or switch for each setting its provider applies, within that provider's ranges.
import { useEffect, useMemo, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Slider from '@cloudscape-design/components/slider';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Toggle from '@cloudscape-design/components/toggle';
import { api } from '../../api.ts';
import { useNotify } from '../../components/Notifications.tsx';
import { EmptyState, errorMessage } from '../../components/PageState.tsx';
import { rangesOf, SETTING_TEXT, settingsFor, shownValue } from './settings.ts';
import { TestSpeech } from './TestSpeech.tsx';
import {
  voicePath,
  type Personality,
  type ProviderInfo,
  type SettingName,
  type SettingSpec,
  type VoiceSettings,
} from './types.ts';

interface Props {
  personality: Personality;
  providers: ProviderInfo[] | undefined;
  onSaved(personality: Personality): void;
}

const same = (a: VoiceSettings, b: VoiceSettings) => JSON.stringify(a) === JSON.stringify(b);

/** Two decimals at most, as the ranges are written. */
const round = (value: number) => Math.round(value * 100) / 100;

export function VoiceSettingsSection({ personality, providers, onSaved }: Props) {
  const notify = useNotify();
  const voice = personality.voice_config;
  const ranges = useMemo(() => (voice ? rangesOf(voice.provider, providers) : {}), [voice, providers]);
  const stored = useMemo(() => settingsFor(ranges, voice?.settings), [ranges, voice?.settings]);
  const [draft, setDraft] = useState<VoiceSettings>(stored);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<unknown>();

  // A save elsewhere (a new voice, a finished training) brings new settings and perhaps a new provider.
  useEffect(() => setDraft(stored), [stored]);

  const entries = Object.entries(ranges) as Array<[SettingName, SettingSpec]>;
  const set = (name: SettingName, value: number | boolean) =>
    setDraft((current) => ({ ...current, [name]: value }));

  async function save() {
    setSaving(true);
    setFailure(undefined);
    try {
      const updated = await api<Personality>(`${voicePath(personality.id)}/settings`, {
        method: 'PUT',
        body: { settings: draft, version: personality.version },
      });
      onSaved(updated);
      notify({ type: 'success', content: `The voice settings of ${personality.name} were saved.` });
    } catch (error) {
      setFailure(error);
    } finally {
      setSaving(false);
    }
  }

  const defaults = Object.fromEntries(entries.map(([name, spec]) => [name, spec.default])) as VoiceSettings;
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={
            voice
              ? `The settings ${voice.provider} applies. Play tries them before they are saved.`
              : 'Choose and save a voice first.'
          }
          actions={
            voice && entries.length ? (
              <SpaceBetween direction="horizontal" size="xs">
                <Button onClick={() => setDraft(defaults)} disabled={same(draft, defaults)}>
                  Reset to defaults
                </Button>
                <Button variant="primary" onClick={save} loading={saving} disabled={same(draft, stored)}>
                  Save settings
                </Button>
              </SpaceBetween>
            ) : undefined
          }
        >
          Voice settings
        </Header>
      }
    >
      <SpaceBetween size="l">
        {!voice ? (
          <EmptyState title="No voice yet" description="Choose a voice above and save it to tune it here." />
        ) : entries.length === 0 ? (
          <EmptyState title="Nothing to tune" description={`${voice.provider} takes no voice settings.`} />
        ) : (
          <ColumnLayout columns={2} minColumnWidth={240}>
            {entries.map(([name, spec]) => {
              const text = SETTING_TEXT[name];
              if (spec.kind === 'boolean') {
                const checked = shownValue(spec, draft[name]) as boolean;
                return (
                  <FormField key={name} label={text.label} description={text.description}>
                    <Toggle checked={checked} onChange={({ detail }) => set(name, detail.checked)}>
                      {checked ? 'On' : 'Off'}
                    </Toggle>
                  </FormField>
                );
              }
              const value = shownValue(spec, draft[name]) as number;
              return (
                <FormField
                  key={name}
                  label={text.label}
                  description={text.description}
                  constraintText={`${round(value)} (from ${spec.min} to ${spec.max}; default ${spec.default})`}
                >
                  <Slider
                    value={value}
                    min={spec.min}
                    max={spec.max}
                    step={text.step}
                    valueFormatter={(shown) => String(round(shown))}
                    onChange={({ detail }) => set(name, round(detail.value))}
                  />
                </FormField>
              );
            })}
          </ColumnLayout>
        )}
        {failure ? (
          <Alert type="error" header="The settings were not saved">
            {errorMessage(failure)}
          </Alert>
        ) : null}
        {voice ? (
          <Box>
            <TestSpeech personality={personality} settings={entries.length ? draft : undefined} />
          </Box>
        ) : null}
      </SpaceBetween>
    </Container>
  );
}
