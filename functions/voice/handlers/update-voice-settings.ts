// PUT /api/admin/ai-personalities/{id}/voice/settings
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { expectedVersion, versionTag } from '../../personalities/versions.ts';
import { updateVoiceSettings } from '../voice-settings.ts';

const route = routes.updateVoiceSettings;

export const updateSettings = async ({ auth, params, body, headers }: HttpRequest<typeof route>) => {
  const version = expectedVersion(headers['if-match'], body.version, { required: false });
  const personality = await updateVoiceSettings(auth.tenantId, params.id, body, version);
  return ok(personality, { etag: versionTag(personality.version) });
};

export const handler = httpHandler(route, updateSettings);
