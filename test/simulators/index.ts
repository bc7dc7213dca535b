// Starts every provider simulator and gives the settings that point the platform's providers at them.
import type { Simulator } from './harness.ts';
import { createElevenLabsSimulator } from './elevenlabs.ts';
import { createGoogleSimulator } from './google.ts';
import { createOpenAiSimulator } from './openai.ts';
import { createPollySimulator } from './polly.ts';

export interface Simulators {
  elevenlabs: Simulator;
  google: Simulator;
  openai: Simulator;
  polly: Simulator;
  /** Provider keys and base URLs for the functions' configuration. */
  environment: Record<string, string>;
  urls: Record<'elevenlabs' | 'google' | 'openai' | 'polly', string>;
  stop(): Promise<void>;
}

export async function startSimulators(): Promise<Simulators> {
  const elevenlabs = createElevenLabsSimulator();
  const google = createGoogleSimulator();
  const openai = createOpenAiSimulator();
  const polly = createPollySimulator();
  const all = [elevenlabs, google, openai, polly];
  await Promise.all(all.map((simulator) => simulator.start()));
  return {
    elevenlabs,
    google,
    openai,
    polly,
    urls: { elevenlabs: elevenlabs.url, google: google.url, openai: openai.url, polly: polly.url },
    environment: {
      ELEVENLABS_API_KEY: 'sim-elevenlabs-key',
      ELEVENLABS_BASE_URL: elevenlabs.url,
      OPENAI_API_KEY: 'sim-openai-key',
      OPENAI_BASE_URL: `${openai.url}/v1`,
      GOOGLE_TTS_ACCESS_TOKEN: 'sim-google-token',
      GOOGLE_TTS_ENDPOINT: google.url,
      POLLY_ENABLED: 'true',
      POLLY_ENDPOINT: polly.url,
    },
    stop: async () => {
      await Promise.all(all.map((simulator) => simulator.stop()));
    },
  };
}
