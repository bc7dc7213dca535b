// GET /api/admin/ai-personalities/{id}/voice/sample: the personality introducing itself, cached after the first time.
import { httpHandler, ok, type HttpRequest } from '../../http/handler.ts';
import { routes } from '../../http/routes.ts';
import { getPersonality } from '../../personalities/personalities.ts';
import { sampleText } from '../sample.ts';
import { SpeechAnswer } from '../schemas.ts';
import { speechContext } from '../speech-context.ts';
import { speak } from '../voice-service.ts';

const route = routes.getVoiceSample;

export const getVoiceSample = async ({ auth, params, query, requestId }: HttpRequest<typeof route>) => {
  // Read alongside the personality rather than after it: a found personality has the id asked for.
  const context = speechContext(auth.tenantId, params.id);
  const personality = await getPersonality(auth.tenantId, params.id);
  return ok(
    // The audio's key is internal: the schema passes on only the answer's own fields.
    SpeechAnswer.parse(
      await speak({
        tenantId: auth.tenantId,
        personality,
        text: sampleText(personality),
        format: query.format,
        requestId,
        context,
      }),
    ),
  );
};

export const handler = httpHandler(route, getVoiceSample);
