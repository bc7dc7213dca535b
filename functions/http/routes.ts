// The one route table: CDK builds API Gateway routes from it, the local gateway serves it, OpenAPI is generated from it.
// It names handler entry files and never imports them, so synthesising the stack loads no runtime code.
import type { z } from 'zod';
import { ErrorBody, Health } from './schemas.ts';
import {
  Personality,
  PersonalityCreate,
  PersonalityList,
  PersonalityParams,
  PersonalitySummaryList,
  PersonalityUpdate,
} from '../personalities/schemas.ts';
import { TenantSettings, TenantSettingsUpdate } from '../tenants/schemas.ts';
import {
  GenerateSpeech,
  Lexicon,
  LexiconUpdate,
  PersonalityVoiceParams,
  ProviderList,
  ProvidersQuery,
  SampleQuery,
  SpeechAnswer,
  VoiceSettingsUpdate,
} from '../voice/schemas.ts';
import {
  Sample,
  SampleList,
  SampleParams,
  TrainAnswer,
  TrainRequest,
  UploadAnswer,
  UploadRequest,
  VoiceStatusAnswer,
} from '../training/schemas.ts';
import { ChatAnswer, ChatRequest, ConversationAnswer, ConversationParams } from '../chat/schemas.ts';
import { ApiKeyCreate, ApiKeyCreated, ApiKeyList, ApiKeyParams } from '../api-keys/schemas.ts';
import { UsageQuery, UsageReport } from '../usage/schemas.ts';
import { WebhookDeliveryList, WebhookSecret, WebhookTestAnswer } from '../webhooks/schemas.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route: anyone; a tenant's app or user (a tenant API key in `x-api-key`, or any signed-in user's
 * token); a tenant admin's token.
 */
export type Access = 'public' | 'tenant' | 'admin';

/** What a route's function may touch; CDK turns it into least-privilege grants. */
export interface RouteResources {
  table?: 'read' | 'readwrite';
  samples?: 'read' | 'readwrite';
  audio?: 'read' | 'readwrite';
  /** Speaks or lists voices: reads the provider keys, calls Polly, may dead-letter a usage record. */
  speech?: boolean;
  /** Starts voice-training executions. */
  training?: boolean;
  /** Queues webhook deliveries (besides the speaking routes, which may send the budget warning). */
  webhooks?: boolean;
}

export interface RouteDefinition {
  method: HttpMethod;
  /** API Gateway path syntax: `/api/admin/ai-personalities/{id}`. */
  path: string;
  /** Handler entry file, relative to the repository root; it exports `handler`. */
  entry: string;
  access: Access;
  summary: string;
  tag: string;
  request?: {
    params?: z.ZodObject;
    query?: z.ZodObject;
    body?: z.ZodType;
  };
  /** Successful answers by status; errors share the `ErrorBody` envelope. */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  resources: RouteResources;
  /**
   * How the route reaches its function in AWS; `api` unless said otherwise.
   * - `api`: a route of the HTTP API (API Gateway's JWT authorizer on admin routes, the API-key-or-token Lambda
   *   authorizer on tenant routes; then the handler checks the credential again).
   * - `function-url`: a streaming route (a `streamingHandler`, answering Server-Sent Events). API Gateway HTTP APIs
   *   buffer the whole response, so such a route is served by its own Lambda function URL with
   *   `InvokeMode: RESPONSE_STREAM` and gets no API Gateway route; the URL has no authorizer of its own, the handler
   *   verifies the same credential (API key or token) with the same code as every route. See docs/streaming.md.
   * The local gateway serves both kinds at the route's path.
   */
  transport?: 'api' | 'function-url';
}

const personalityEntry = (file: string) => `functions/personalities/handlers/${file}.ts`;
const voiceEntry = (file: string) => `functions/voice/handlers/${file}.ts`;
const trainingEntry = (file: string) => `functions/training/handlers/${file}.ts`;
const apiKeyEntry = (file: string) => `functions/api-keys/handlers/${file}.ts`;
const webhookEntry = (file: string) => `functions/webhooks/handlers/${file}.ts`;
const speaking: RouteResources = { table: 'readwrite', audio: 'readwrite', speech: true };

export const routes = {
  health: {
    method: 'GET',
    path: '/api/health',
    entry: 'functions/http/handlers/health.ts',
    access: 'public',
    summary: 'Liveness check',
    tag: 'Platform',
    responses: { 200: { description: 'The API is up', schema: Health } },
    resources: {},
  },
  openapi: {
    method: 'GET',
    path: '/api/openapi.json',
    entry: 'functions/http/handlers/openapi.ts',
    access: 'public',
    summary: 'This API, described as OpenAPI 3.1',
    tag: 'Platform',
    responses: { 200: { description: 'The OpenAPI document' } },
    resources: {},
  },
  listPersonalities: {
    method: 'GET',
    path: '/api/admin/ai-personalities',
    entry: personalityEntry('list-personalities'),
    access: 'admin',
    summary: "List the built-in personalities and the tenant's own",
    tag: 'Personalities',
    responses: { 200: { description: 'Every personality the tenant can use', schema: PersonalityList } },
    resources: { table: 'read' },
  },
  createPersonality: {
    method: 'POST',
    path: '/api/admin/ai-personalities',
    entry: personalityEntry('create-personality'),
    access: 'admin',
    summary: 'Create a personality',
    tag: 'Personalities',
    request: { body: PersonalityCreate },
    responses: { 201: { description: 'The new personality, at version 1', schema: Personality } },
    resources: { table: 'readwrite' },
  },
  getPersonality: {
    method: 'GET',
    path: '/api/admin/ai-personalities/{id}',
    entry: personalityEntry('get-personality'),
    access: 'admin',
    summary: 'Read a personality (ETag carries its version)',
    tag: 'Personalities',
    request: { params: PersonalityParams },
    responses: { 200: { description: 'The personality', schema: Personality } },
    resources: { table: 'read' },
  },
  updatePersonality: {
    method: 'PUT',
    path: '/api/admin/ai-personalities/{id}',
    entry: personalityEntry('update-personality'),
    access: 'admin',
    summary: 'Change a personality; customising a built-in copies it into the tenant',
    tag: 'Personalities',
    request: { params: PersonalityParams, body: PersonalityUpdate },
    responses: { 200: { description: 'The personality, one version on', schema: Personality } },
    resources: { table: 'readwrite' },
  },
  deletePersonality: {
    method: 'DELETE',
    path: '/api/admin/ai-personalities/{id}',
    entry: personalityEntry('delete-personality'),
    access: 'admin',
    summary: "Delete one of the tenant's personalities (built-ins cannot be deleted)",
    tag: 'Personalities',
    request: { params: PersonalityParams },
    responses: { 204: { description: 'Deleted' } },
    resources: { table: 'readwrite' },
  },
  getTenantSettings: {
    method: 'GET',
    path: '/api/admin/tenant/settings',
    entry: 'functions/tenants/handlers/get-settings.ts',
    access: 'admin',
    summary: "Read the tenant's settings",
    tag: 'Tenant',
    responses: { 200: { description: 'The settings', schema: TenantSettings } },
    resources: { table: 'read' },
  },
  updateTenantSettings: {
    method: 'PUT',
    path: '/api/admin/tenant/settings',
    entry: 'functions/tenants/handlers/update-settings.ts',
    access: 'admin',
    summary: "Change the tenant's settings, such as the primary personality",
    tag: 'Tenant',
    request: { body: TenantSettingsUpdate },
    responses: { 200: { description: 'The settings as stored', schema: TenantSettings } },
    resources: { table: 'readwrite' },
  },
  listActivePersonalities: {
    method: 'GET',
    path: '/api/personalities',
    entry: personalityEntry('list-active-personalities'),
    access: 'tenant',
    summary: 'The active personalities, for a picker in a tenant app',
    tag: 'Personalities',
    responses: { 200: { description: 'Active personalities', schema: PersonalitySummaryList } },
    // An API key's request spends a rate-limit token and stamps the key's last use: both are table writes.
    resources: { table: 'readwrite' },
  },
  generateSpeech: {
    method: 'POST',
    path: '/api/admin/ai-personalities/{id}/voice/generate',
    entry: voiceEntry('generate-speech'),
    access: 'admin',
    summary: 'Speak a text in the personality’s voice (falls back to another voice when it must)',
    tag: 'Voice',
    request: { params: PersonalityVoiceParams, body: GenerateSpeech },
    responses: { 200: { description: 'A link to the audio and what it cost', schema: SpeechAnswer } },
    resources: speaking,
  },
  getVoiceSample: {
    method: 'GET',
    path: '/api/admin/ai-personalities/{id}/voice/sample',
    entry: voiceEntry('get-voice-sample'),
    access: 'admin',
    summary: 'A short clip of the personality introducing itself in its voice',
    tag: 'Voice',
    request: { params: PersonalityVoiceParams, query: SampleQuery },
    responses: { 200: { description: 'A link to the sample clip', schema: SpeechAnswer } },
    resources: speaking,
  },
  updateVoiceSettings: {
    method: 'PUT',
    path: '/api/admin/ai-personalities/{id}/voice/settings',
    entry: voiceEntry('update-voice-settings'),
    access: 'admin',
    summary: 'Tune the voice: settings checked against its provider’s ranges',
    tag: 'Voice',
    request: { params: PersonalityVoiceParams, body: VoiceSettingsUpdate },
    responses: { 200: { description: 'The personality, one version on', schema: Personality } },
    resources: { table: 'readwrite' },
  },
  getPronunciations: {
    method: 'GET',
    path: '/api/admin/ai-personalities/{id}/voice/pronunciations',
    entry: voiceEntry('get-pronunciations'),
    access: 'admin',
    summary: 'The personality’s pronunciation lexicon',
    tag: 'Voice',
    request: { params: PersonalityVoiceParams },
    responses: { 200: { description: 'The lexicon', schema: Lexicon } },
    resources: { table: 'read' },
  },
  putPronunciations: {
    method: 'PUT',
    path: '/api/admin/ai-personalities/{id}/voice/pronunciations',
    entry: voiceEntry('put-pronunciations'),
    access: 'admin',
    summary: 'Replace the personality’s pronunciation lexicon',
    tag: 'Voice',
    request: { params: PersonalityVoiceParams, body: LexiconUpdate },
    responses: { 200: { description: 'The lexicon, one version on', schema: Lexicon } },
    resources: { table: 'readwrite' },
  },
  getTenantPronunciations: {
    method: 'GET',
    path: '/api/admin/voice/pronunciations',
    entry: voiceEntry('get-tenant-pronunciations'),
    access: 'admin',
    summary: 'The pronunciation lexicon every personality of the tenant uses',
    tag: 'Voice',
    responses: { 200: { description: 'The lexicon', schema: Lexicon } },
    resources: { table: 'read' },
  },
  putTenantPronunciations: {
    method: 'PUT',
    path: '/api/admin/voice/pronunciations',
    entry: voiceEntry('put-tenant-pronunciations'),
    access: 'admin',
    summary: 'Replace the tenant-wide pronunciation lexicon',
    tag: 'Voice',
    request: { body: LexiconUpdate },
    responses: { 200: { description: 'The lexicon, one version on', schema: Lexicon } },
    resources: { table: 'readwrite' },
  },
  listVoiceProviders: {
    method: 'GET',
    path: '/api/admin/voice/providers',
    entry: voiceEntry('list-voice-providers'),
    access: 'admin',
    summary: 'The configured speech providers, their models, settings and voices',
    tag: 'Voice',
    request: { query: ProvidersQuery },
    responses: { 200: { description: 'Providers for a voice picker', schema: ProviderList } },
    resources: { speech: true },
  },
  uploadVoiceSamples: {
    method: 'POST',
    path: '/api/admin/ai-personalities/{id}/voice/upload',
    entry: trainingEntry('upload-samples'),
    access: 'admin',
    summary: 'Register recordings and get a presigned S3 upload (10 MB at most) for each',
    tag: 'Voice cloning',
    request: { params: PersonalityVoiceParams, body: UploadRequest },
    responses: { 201: { description: 'One upload form per file', schema: UploadAnswer } },
    resources: { table: 'readwrite', samples: 'readwrite' },
  },
  listVoiceSamples: {
    method: 'GET',
    path: '/api/admin/ai-personalities/{id}/voice/samples',
    entry: trainingEntry('list-samples'),
    access: 'admin',
    summary: 'The recordings with their quality reports',
    tag: 'Voice cloning',
    request: { params: PersonalityVoiceParams },
    responses: { 200: { description: 'Samples and their total valid length', schema: SampleList } },
    resources: { table: 'read' },
  },
  getUploadedSample: {
    method: 'GET',
    path: '/api/admin/ai-personalities/{id}/voice/samples/{sampleId}',
    entry: trainingEntry('get-sample'),
    access: 'admin',
    summary: 'One recording with its quality report',
    tag: 'Voice cloning',
    request: { params: SampleParams },
    responses: { 200: { description: 'The sample', schema: Sample } },
    resources: { table: 'read' },
  },
  deleteUploadedSample: {
    method: 'DELETE',
    path: '/api/admin/ai-personalities/{id}/voice/samples/{sampleId}',
    entry: trainingEntry('delete-sample'),
    access: 'admin',
    summary: 'Delete a recording',
    tag: 'Voice cloning',
    request: { params: SampleParams },
    responses: { 204: { description: 'Deleted' } },
    resources: { table: 'readwrite', samples: 'readwrite' },
  },
  trainVoice: {
    method: 'POST',
    path: '/api/admin/ai-personalities/{id}/voice/train',
    entry: trainingEntry('train-voice'),
    access: 'admin',
    summary: 'Train a custom voice from valid recordings, with the speaker’s consent attested',
    tag: 'Voice cloning',
    request: { params: PersonalityVoiceParams, body: TrainRequest },
    responses: {
      202: { description: 'Training started (or already running for this request)', schema: TrainAnswer },
    },
    resources: { table: 'readwrite', speech: true, training: true },
  },
  getVoiceStatus: {
    method: 'GET',
    path: '/api/admin/ai-personalities/{id}/voice/status',
    entry: trainingEntry('get-voice-status'),
    access: 'admin',
    summary: 'How the custom voice’s training stands',
    tag: 'Voice cloning',
    request: { params: PersonalityVoiceParams },
    responses: { 200: { description: 'Status, progress and any error', schema: VoiceStatusAnswer } },
    resources: { table: 'read' },
  },
  deleteCustomVoice: {
    method: 'DELETE',
    path: '/api/admin/ai-personalities/{id}/voice',
    entry: trainingEntry('delete-voice'),
    access: 'admin',
    summary: 'Delete the custom voice at the provider and go back to the previous voice',
    tag: 'Voice cloning',
    request: { params: PersonalityVoiceParams },
    responses: { 200: { description: 'The voice the personality speaks with now' } },
    resources: { table: 'readwrite', samples: 'readwrite', speech: true },
  },
  chat: {
    method: 'POST',
    path: '/api/chat',
    entry: 'functions/chat/handlers/chat.ts',
    access: 'tenant',
    summary: 'Send a customer’s message; the personality replies as text and speech',
    tag: 'Chat',
    request: { body: ChatRequest },
    responses: { 200: { description: 'The reply, its audio, and the conversation', schema: ChatAnswer } },
    resources: { table: 'readwrite', audio: 'readwrite', speech: true },
  },
  chatStream: {
    method: 'POST',
    path: '/api/chat/stream',
    entry: 'functions/chat/handlers/chat-stream.ts',
    access: 'tenant',
    summary:
      'Send a message; the reply streams as Server-Sent Events: text as it is written, audio per sentence',
    tag: 'Chat',
    request: { body: ChatRequest },
    responses: { 200: { description: 'text/event-stream: start, text, audio, error and done events' } },
    resources: { table: 'readwrite', audio: 'readwrite', speech: true },
    transport: 'function-url',
  },
  getConversation: {
    method: 'GET',
    path: '/api/conversations/{id}',
    entry: 'functions/chat/handlers/get-conversation.ts',
    access: 'tenant',
    summary: 'A conversation’s messages, with fresh links to their audio',
    tag: 'Chat',
    request: { params: ConversationParams },
    responses: { 200: { description: 'The conversation', schema: ConversationAnswer } },
    // Keyed requests write the rate bucket and the key's last use.
    resources: { table: 'readwrite', audio: 'read' },
  },
  getVoiceUsage: {
    method: 'GET',
    path: '/api/admin/voice/usage',
    entry: 'functions/usage/handlers/get-usage.ts',
    access: 'admin',
    summary: 'Characters, audio, cost and cache savings by day, provider or personality; the budget left',
    tag: 'Usage',
    request: { query: UsageQuery },
    responses: { 200: { description: 'The usage report', schema: UsageReport } },
    resources: { table: 'read' },
  },
  listApiKeys: {
    method: 'GET',
    path: '/api/admin/api-keys',
    entry: apiKeyEntry('list-api-keys'),
    access: 'admin',
    summary: "The tenant's API keys (never their secrets)",
    tag: 'API keys',
    responses: { 200: { description: 'Every key, revoked ones included', schema: ApiKeyList } },
    resources: { table: 'read' },
  },
  createApiKey: {
    method: 'POST',
    path: '/api/admin/api-keys',
    entry: apiKeyEntry('create-api-key'),
    access: 'admin',
    summary: 'Create an API key for a tenant app; the secret is shown in this answer only',
    tag: 'API keys',
    request: { body: ApiKeyCreate },
    responses: { 201: { description: 'The key and its secret', schema: ApiKeyCreated } },
    resources: { table: 'readwrite' },
  },
  revokeApiKey: {
    method: 'DELETE',
    path: '/api/admin/api-keys/{keyId}',
    entry: apiKeyEntry('revoke-api-key'),
    access: 'admin',
    summary:
      'Revoke an API key: it stops working at once on the platform, and within API_KEY_CACHE_SECONDS (60 s) everywhere in AWS',
    tag: 'API keys',
    request: { params: ApiKeyParams },
    responses: { 204: { description: 'Revoked' } },
    resources: { table: 'readwrite' },
  },
  rotateWebhookSecret: {
    method: 'POST',
    path: '/api/admin/webhooks/secret',
    entry: webhookEntry('rotate-webhook-secret'),
    access: 'admin',
    summary: 'Replace the secret that signs webhook deliveries; the new one is shown in this answer only',
    tag: 'Webhooks',
    responses: { 200: { description: 'The new secret', schema: WebhookSecret } },
    resources: { table: 'readwrite' },
  },
  listWebhookDeliveries: {
    method: 'GET',
    path: '/api/admin/webhooks/deliveries',
    entry: webhookEntry('list-webhook-deliveries'),
    access: 'admin',
    summary: 'Recent webhook deliveries: delivered, retrying or failed, with the last answer',
    tag: 'Webhooks',
    responses: { 200: { description: 'Deliveries, newest first', schema: WebhookDeliveryList } },
    resources: { table: 'read' },
  },
  sendTestWebhook: {
    method: 'POST',
    path: '/api/admin/webhooks/test',
    entry: webhookEntry('send-test-webhook'),
    access: 'admin',
    summary: 'Send a webhook.test event to the webhook URL',
    tag: 'Webhooks',
    responses: { 202: { description: 'Queued for delivery', schema: WebhookTestAnswer } },
    resources: { table: 'readwrite', webhooks: true },
  },
} as const satisfies Record<string, RouteDefinition>;

export type RouteId = keyof typeof routes;

export const routeList: ReadonlyArray<RouteDefinition & { id: RouteId }> = Object.entries(routes).map(
  ([id, route]) => ({ ...route, id: id as RouteId }),
);

export { ErrorBody };
