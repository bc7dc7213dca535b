// POST /api/admin/ai-personalities/{id}/voice/generate
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { getPersonality } from '../../personalities/personalities.ts';
import { assertSettingsInRange } from '../../providers/tts/setting-ranges.ts';
import { SpeechAnswer } from '../schemas.ts';
import { speechContext } from '../speech-context.ts';
import { speak } from '../voice-service.ts';

const route = routes.generateSpeech;

export const generateSpeech = async ({ auth, params, body, requestId }: HttpRequest<typeof route>) => {
  // Read alongside the personality rather than after it: a found personality has the id asked for.
  const context = speechContext(auth.tenantId, params.id);
  const personality = await getPersonality(auth.tenantId, params.id);
  if (body.settings && personality.voice_config)
    assertSettingsInRange(personality.voice_config.provider, { ...body.settings });
  return ok(
    // The audio's key is internal: the schema passes on only the answer's own fields.
    SpeechAnswer.parse(
      await speak({
        tenantId: auth.tenantId,
        personality,
        text: body.text,
        format: body.format,
        settings: body.settings,
        model: body.model,
        requestId,
        context,
      }),
    ),
  );
};

export const handler = httpHandler(route, generateSpeech);
