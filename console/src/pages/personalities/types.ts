// The API shapes the personalities pages read and send, taken from the API's own schemas.
export type {
  Personality,
  PersonalityCreate,
  PersonalityUpdate,
  ResponseStyle,
  Traits,
} from '../../../../functions/personalities/schemas.ts';
export type { TenantSettings } from '../../../../functions/tenants/schemas.ts';

export const PERSONALITIES_PATH = '/api/admin/ai-personalities';
export const SETTINGS_PATH = '/api/admin/tenant/settings';

export const personalityPath = (id: string) => `${PERSONALITIES_PATH}/${encodeURIComponent(id)}`;
