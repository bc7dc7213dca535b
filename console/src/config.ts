// What the console learns at start from /config.json: where the API is and how people sign in.

export type AuthConfig =
  { mode: 'local' } | { mode: 'cognito'; userPoolId: string; clientId: string; region: string };

export interface ConsoleConfig {
  /** The API's origin; empty when it is the console's own origin. */
  apiUrl: string;
  auth: AuthConfig;
  /**
   * In AWS, each streaming route's own URL by route id (`chatStream`), since the HTTP API buffers answers; locally
   * none, as the gateway streams them itself.
   */
  streamUrls: Record<string, string>;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch('/config.json', { headers: { accept: 'application/json' } });
  if (!response.ok)
    throw new Error(`The console's settings (/config.json) could not be read: ${response.status}`);
  const config = (await response.json()) as Partial<ConsoleConfig>;
  if (!config.auth || (config.auth.mode !== 'local' && config.auth.mode !== 'cognito')) {
    throw new Error('The console settings (/config.json) name no sign-in mode.');
  }
  return {
    apiUrl: (config.apiUrl ?? '').replace(/\/$/, ''),
    auth: config.auth,
    streamUrls: config.streamUrls ?? {},
  };
}
