// The route table is the one source of routes: entries are unique, point at real handler files, and are documented.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../../functions/http/openapi.ts';
import { routeList } from '../../../functions/http/routes.ts';
import { REPOSITORY_ROOT } from '../../../local/stack.ts';

describe('route table', () => {
  it('has one entry per method and path', () => {
    const keys = routeList.map((route) => `${route.method} ${route.path}`);

    expect(new Set(keys).size).toBe(keys.length);
  });

  it('names handler files that exist and export a handler', () => {
    for (const route of routeList) {
      const file = join(REPOSITORY_ROOT, route.entry);
      expect(existsSync(file), route.entry).toBe(true);
      expect(readFileSync(file, 'utf8'), route.entry).toMatch(/export const handler\b/);
    }
  });

  it('guards every admin path with the admin role and leaves only health and the API description public', () => {
    for (const route of routeList) {
      if (route.path.startsWith('/api/admin/')) expect(route.access, route.path).toBe('admin');
    }
    expect(
      routeList
        .filter((route) => route.access === 'public')
        .map((route) => route.path)
        .sort(),
    ).toEqual(['/api/health', '/api/openapi.json']);
  });

  it('grants the table to every route that reaches the store, and nothing to public ones', () => {
    // Listing providers asks the providers, not the store.
    const storeless = new Set(['health', 'openapi', 'listVoiceProviders']);
    for (const route of routeList) {
      expect(Boolean(route.resources.table), route.id).toBe(!storeless.has(route.id));
      if (route.access === 'public') expect(route.resources, route.id).toEqual({});
    }
  });

  it('gives the audio bucket, the samples bucket, provider keys and training only to the routes that need them', () => {
    const speaks = new Set(['generateSpeech', 'getVoiceSample', 'chat', 'chatStream']);
    const usesProviders = new Set([...speaks, 'listVoiceProviders', 'trainVoice', 'deleteCustomVoice']);
    const touchesSamples = new Set(['uploadVoiceSamples', 'deleteUploadedSample', 'deleteCustomVoice']);
    for (const route of routeList) {
      expect(route.resources.audio === 'readwrite', route.id).toBe(speaks.has(route.id));
      expect(Boolean(route.resources.speech), route.id).toBe(usesProviders.has(route.id));
      expect(route.resources.samples === 'readwrite', route.id).toBe(touchesSamples.has(route.id));
      expect(Boolean(route.resources.training), route.id).toBe(route.id === 'trainVoice');
    }
  });
});

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument('test');

  it('describes each route with its operation id, security and error responses', () => {
    for (const route of routeList) {
      const operation = document.paths?.[route.path]?.[route.method.toLowerCase() as 'get'];
      expect(operation?.operationId).toBe(route.id);
      expect(operation?.security).toEqual(route.access === 'public' ? [] : [{ bearer: [] }]);
      expect(Object.keys(operation?.responses ?? {})).toContain('500');
      if (route.access === 'admin')
        expect(Object.keys(operation?.responses ?? {})).toEqual(expect.arrayContaining(['401', '403']));
    }
  });

  it('references the named schemas instead of repeating them', () => {
    const create = document.paths?.['/api/admin/ai-personalities']?.post;

    expect(JSON.stringify(create?.requestBody)).toContain('#/components/schemas/PersonalityCreate');
    expect(document.components?.schemas).toHaveProperty('Personality');
    expect(document.components?.schemas).toHaveProperty('Error');
  });
});
