// A voice clone whose answer is lost on the way back (the connection drops after ElevenLabs made the voice) is still
// found, by the label naming its training job, so a retried training takes it and a failed one deletes it. The fault
// suite found such voices left behind at the provider.
import { describe, expect, it } from 'vitest';
import { createElevenLabsProvider } from '../../functions/providers/tts/elevenlabs.ts';
import { adapterAgainst, failure } from '../integration/providers/support.ts';
import { renderSpeech } from '../simulators/audio.ts';
import { createElevenLabsSimulator } from '../simulators/elevenlabs.ts';

const simulator = createElevenLabsSimulator();
const { provider } = adapterAgainst(simulator, (url, timeoutMs) =>
  createElevenLabsProvider({ apiKey: 'xi-test-key', baseUrl: url, timeoutMs }),
);

async function samples() {
  return [
    {
      fileName: 'take.wav',
      contentType: 'audio/wav',
      bytes: await renderSpeech('A sample of my voice.', { format: 'wav', sampleRate: 24_000 }),
    },
  ];
}

describe('a clone whose answer was lost', () => {
  it('fails as worth retrying, and its voice is found by the job label alone', async () => {
    const cloning = provider.cloning!;
    simulator.addFault({ kind: 'broken_stream', path: '/v1/voices/add', times: 1 });

    const lost = await failure(
      cloning.createVoice({ name: 'Lost', samples: await samples(), labels: { training_job: 'job-lost' } }),
    );
    const other = await cloning.createVoice({
      name: 'Other',
      samples: await samples(),
      labels: { training_job: 'job-other' },
    });

    expect(lost.retryable).toBe(true);
    const found = await cloning.voicesLabelled!({ training_job: 'job-lost' });
    expect(found).toHaveLength(1);
    expect(found).not.toContain(other.voiceId);
    await cloning.deleteVoice(found[0]!);
    expect(await cloning.voicesLabelled!({ training_job: 'job-lost' })).toEqual([]);
    expect(await cloning.voicesLabelled!({ training_job: 'job-other' })).toEqual([other.voiceId]);
  });
});
