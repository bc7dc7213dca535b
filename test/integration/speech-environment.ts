// Speech settings for stacks under test: simulators for every provider, fast retries, no platform default voice.
export function speechTestEnvironment(
  simulatorEnvironment: Record<string, string>,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    ...simulatorEnvironment,
    LOCAL_TTS: 'true',
    // Without a platform default, "every provider down" really is every provider.
    DEFAULT_VOICE: 'none',
    TTS_TIMEOUT_MS: '2000',
    TTS_RETRY_ATTEMPTS: '3',
    TTS_RETRY_BASE_MS: '10',
    TTS_RETRY_MAX_MS: '40',
    ...overrides,
  };
}
