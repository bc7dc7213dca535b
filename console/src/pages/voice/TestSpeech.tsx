// A test box: type a phrase, hear it in the personality's voice with the settings shown, stop it, download it.
import { useRef, useState } from 'react';
import Alert from '@cloudscape-design/components/alert';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { api } from '../../api.ts';
import { errorMessage } from '../../components/PageState.tsx';
import { SpeechResult, type SpeechResultHandle } from './SpeechResult.tsx';
import { voicePath, type Personality, type SpeechAnswer, type VoiceSettings } from './types.ts';

const MAX_CHARACTERS = 5000;

export function TestSpeech({
  personality,
  settings,
}: {
  personality: Personality;
  settings: VoiceSettings | undefined;
}) {
  const [text, setText] = useState(`Hi, I'm ${personality.name}. How does my voice sound?`);
  const [speech, setSpeech] = useState<SpeechAnswer>();
  const [playing, setPlaying] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const player = useRef<SpeechResultHandle>(null);

  const problem = !text.trim()
    ? 'Type something to say.'
    : text.length > MAX_CHARACTERS
      ? `At most ${MAX_CHARACTERS} characters; this is ${text.length}.`
      : undefined;

  async function play() {
    if (problem) return;
    player.current?.stop();
    setPlaying(true);
    setFailure(undefined);
    try {
      setSpeech(
        await api<SpeechAnswer>(`${voicePath(personality.id)}/generate`, {
          method: 'POST',
          body: { text, ...(settings ? { settings } : {}) },
        }),
      );
    } catch (error) {
      setFailure(error);
    } finally {
      setPlaying(false);
    }
  }

  return (
    <SpaceBetween size="s">
      <FormField
        label="Test phrase"
        description="Spoken in the personality’s voice with the settings above, saved or not."
        constraintText={`${text.length} of ${MAX_CHARACTERS} characters`}
        errorText={text.length > MAX_CHARACTERS ? problem : undefined}
        stretch
      >
        <Textarea value={text} onChange={({ detail }) => setText(detail.value)} rows={3} />
      </FormField>
      <Button iconName="caret-right-filled" onClick={play} loading={playing} disabled={!!problem}>
        Play
      </Button>
      {failure ? (
        <Alert type="error" header="The phrase could not be spoken">
          {errorMessage(failure)}
        </Alert>
      ) : null}
      {speech ? (
        <SpeechResult
          ref={player}
          speech={speech}
          label="Test speech"
          fileName={`${personality.id}-test`}
          autoPlay
        />
      ) : null}
    </SpaceBetween>
  );
}
