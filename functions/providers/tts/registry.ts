// Which speech providers this deployment can use, built from configuration: a provider without a key is absent.
// Each provider's SDK is imported the first time that provider speaks, so a function pays only for what it uses.
import { config, type SpeechConfig } from '../../config.ts';
import { keysValidUntil, providerKeys, type ProviderKeys } from '../provider-keys.ts';
import { PROVIDER_NAMES, type ProviderName, type TtsProvider } from './port.ts';

export interface ProviderRegistry {
  readonly names: readonly ProviderName[];
  has(name: string): name is ProviderName;
  get(name: ProviderName): Promise<TtsProvider>;
}

type Loader = () => Promise<TtsProvider>;

function googleCredentials(value: unknown): { client_email: string; private_key: string } | undefined {
  const parsed: unknown = typeof value === 'string' ? JSON.parse(value) : value;
  if (parsed && typeof parsed === 'object' && 'client_email' in parsed && 'private_key' in parsed) {
    return parsed as { client_email: string; private_key: string };
  }
  throw new Error('google_credentials must be a service-account key with client_email and private_key');
}

function loaders(
  speech: SpeechConfig,
  keys: ProviderKeys,
  region: string,
): Partial<Record<ProviderName, Loader>> {
  const timeoutMs = speech.timeoutMs;
  const found: Partial<Record<ProviderName, Loader>> = {};
  if (keys.elevenlabs_api_key) {
    const apiKey = keys.elevenlabs_api_key;
    found.elevenlabs = async () =>
      (await import('./elevenlabs.ts')).createElevenLabsProvider({
        apiKey,
        timeoutMs,
        ...(speech.elevenlabs.baseUrl ? { baseUrl: speech.elevenlabs.baseUrl } : {}),
      });
  }
  if (keys.google_credentials || keys.google_api_key || speech.google.accessToken) {
    const credentials = keys.google_credentials ? googleCredentials(keys.google_credentials) : undefined;
    found.google = async () =>
      (await import('./google.ts')).createGoogleTtsProvider({
        timeoutMs,
        ...(credentials ? { credentials } : {}),
        ...(keys.google_api_key ? { apiKey: keys.google_api_key } : {}),
        ...(speech.google.accessToken ? { accessToken: speech.google.accessToken } : {}),
        ...(speech.google.endpoint ? { endpoint: speech.google.endpoint } : {}),
      });
  }
  if (speech.polly.enabled) {
    found.polly = async () =>
      (await import('./polly.ts')).createPollyProvider({
        region,
        timeoutMs,
        ...(speech.polly.endpoint ? { endpoint: speech.polly.endpoint } : {}),
      });
  }
  if (keys.openai_api_key) {
    const apiKey = keys.openai_api_key;
    found.openai = async () =>
      (await import('./openai.ts')).createOpenAiTtsProvider({
        apiKey,
        timeoutMs,
        ...(speech.openai.baseUrl ? { baseUrl: speech.openai.baseUrl } : {}),
      });
  }
  if (speech.localEnabled) found.local = async () => (await import('./local.ts')).createLocalProvider();
  return found;
}

function registryFrom(available: Partial<Record<ProviderName, Loader>>): ProviderRegistry {
  const instances = new Map<ProviderName, Promise<TtsProvider>>();
  const names = PROVIDER_NAMES.filter((name) => available[name]);
  return {
    names,
    has: (name: string): name is ProviderName => names.includes(name as ProviderName),
    get: (name) => {
      let instance = instances.get(name);
      if (!instance) {
        const load = available[name];
        if (!load) return Promise.reject(new Error(`Speech provider ${name} is not configured`));
        instance = load();
        // A failed load (a broken key file) is retried on the next call rather than remembered.
        instance.catch(() => instances.delete(name));
        instances.set(name, instance);
      }
      return instance;
    },
  };
}

let cached: { registry: Promise<ProviderRegistry>; until: number } | undefined;

/** The registry of configured providers; rebuilt when the keys' cache age has passed. */
export function providerRegistry(): Promise<ProviderRegistry> {
  const now = Date.now();
  if (cached && cached.until > now) return cached.registry;
  const { speech, region } = config();
  const registry = providerKeys(speech).then((keys) => registryFrom(loaders(speech, keys, region)));
  cached = {
    registry,
    until: keysValidUntil(speech, now),
  };
  registry.catch(() => {
    cached = undefined;
  });
  return registry;
}
