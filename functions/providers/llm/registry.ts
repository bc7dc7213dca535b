// Which chat model this deployment uses: OpenAI (or an OpenAI-compatible server) when a key is available, else the
// offline phrase book, so chat works on a laptop with no network. Built once and kept while the keys are.
import { config } from '../../config.ts';
import { keysValidUntil, providerKeys } from '../provider-keys.ts';
import type { ChatModel } from './port.ts';

let cached: { model: Promise<ChatModel>; until: number } | undefined;
/** The OpenAI model last built and its key: a re-read secret with the same key keeps the same SDK client. */
let built: { apiKey: string; model: ChatModel } | undefined;

async function build(apiKey: string | undefined): Promise<ChatModel> {
  if (!apiKey) {
    built = undefined;
    return (await import('./offline.ts')).createOfflineChatModel();
  }
  if (built?.apiKey === apiKey) return built.model;
  const { speech, chat } = config();
  // Imported on first use, so a function on the offline model never loads the SDK.
  const model = (await import('./openai.ts')).createOpenAiChatModel({
    apiKey,
    model: chat.model,
    timeoutMs: chat.timeoutMs,
    ...(speech.openai.baseUrl ? { baseUrl: speech.openai.baseUrl } : {}),
  });
  built = { apiKey, model };
  return model;
}

/** The configured chat model; looked up again when the keys' cache age has passed. */
export function chatModel(): Promise<ChatModel> {
  const now = Date.now();
  if (cached && cached.until > now) return cached.model;
  const { speech } = config();
  const model = providerKeys(speech).then((keys) => build(keys.openai_api_key));
  cached = { model, until: keysValidUntil(speech, now) };
  // A failed read (the secret unreachable) is tried again on the next call rather than remembered.
  model.catch(() => {
    cached = undefined;
  });
  return model;
}
