// The voice settings each provider applies, with their ranges and defaults: one table for the adapters and the API.
import { BadRequestError } from '../../http/errors.ts';
import type { ProviderName, SettingName, SettingSpec } from './port.ts';

const unit = (fallback: number): SettingSpec => ({ kind: 'number', min: 0, max: 1, default: fallback });

export const SETTING_RANGES: Record<ProviderName, Partial<Record<SettingName, SettingSpec>>> = {
  elevenlabs: {
    stability: unit(0.5),
    similarity_boost: unit(0.75),
    style: unit(0),
    use_speaker_boost: { kind: 'boolean', default: true },
    speed: { kind: 'number', min: 0.7, max: 1.2, default: 1 },
  },
  google: {
    speaking_rate: { kind: 'number', min: 0.25, max: 4, default: 1 },
    pitch: { kind: 'number', min: -20, max: 20, default: 0 },
  },
  polly: {
    speaking_rate: { kind: 'number', min: 0.2, max: 2, default: 1 },
    pitch: { kind: 'number', min: -20, max: 20, default: 0 },
  },
  openai: {
    speed: { kind: 'number', min: 0.25, max: 4, default: 1 },
  },
  local: {
    speed: { kind: 'number', min: 0.7, max: 1.2, default: 1 },
    pitch: { kind: 'number', min: -20, max: 20, default: 0 },
    speaking_rate: { kind: 'number', min: 0.25, max: 4, default: 1 },
  },
};

export interface SettingProblem {
  field: string;
  message: string;
}

/** Settings a provider does not apply, or values outside its range, each named. */
export function settingProblems(provider: ProviderName, settings: Record<string, unknown>): SettingProblem[] {
  const ranges = SETTING_RANGES[provider];
  const problems: SettingProblem[] = [];
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    const spec = ranges[name as SettingName];
    if (!spec) {
      const supported = Object.keys(ranges).join(', ');
      problems.push({
        field: `settings.${name}`,
        message: `${provider} does not use ${name}; it takes ${supported}`,
      });
    } else if (spec.kind === 'boolean' && typeof value !== 'boolean') {
      problems.push({ field: `settings.${name}`, message: `${name} must be true or false` });
    } else if (
      spec.kind === 'number' &&
      (typeof value !== 'number' || value < spec.min || value > spec.max)
    ) {
      problems.push({
        field: `settings.${name}`,
        message: `${name} must be between ${spec.min} and ${spec.max} for ${provider}`,
      });
    }
  }
  return problems;
}

/** Only the settings this provider applies: what it is sent, and what its cache key is made of. */
export function relevantSettings<T extends Record<string, unknown>>(
  provider: ProviderName,
  settings: T | undefined,
): Partial<T> {
  const ranges = SETTING_RANGES[provider];
  const kept: Partial<T> = {};
  for (const [name, value] of Object.entries(settings ?? {})) {
    if (value !== undefined && name in ranges) kept[name as keyof T] = value as T[keyof T];
  }
  return kept;
}

/** Refuses settings the provider does not use or values outside its ranges (400 setting_out_of_range), naming each. */
export function assertSettingsInRange(
  provider: ProviderName,
  settings: Record<string, unknown> | undefined,
): void {
  const problems = settingProblems(provider, settings ?? {});
  if (problems.length) {
    throw new BadRequestError(
      'setting_out_of_range',
      problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
      problems,
    );
  }
}
