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
    // Generous: the simulators render real speech on the test machine's own cores, slowly when many tests speak at once.
    TTS_TIMEOUT_MS: '20000',
    TTS_RETRY_ATTEMPTS: '3',
    TTS_RETRY_BASE_MS: '10',
    TTS_RETRY_MAX_MS: '40',
    ...overrides,
  };
}
