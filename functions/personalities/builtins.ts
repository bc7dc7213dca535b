// The personalities shipped with the product, checked once at load so a broken builtins.json stops the process at start.
import * as z from 'zod';
import builtinsJson from './builtins.json' with { type: 'json' };
import { Personality } from './schemas.ts';

// Beyond the shape, a built-in must say it is one and be uncustomised, and ids must not collide,
// or one entry would silently shadow another in lookups.
const BuiltinList = z.array(Personality).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((p, i) => {
    if (p.source !== 'builtin')
      ctx.addIssue({ code: 'custom', path: [i, 'source'], message: 'must be "builtin"' });
    if (p.version !== 0) ctx.addIssue({ code: 'custom', path: [i, 'version'], message: 'must be 0' });
    if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate id "${p.id}"` });
    seen.add(p.id);
  });
});

// Shared by every request in the process: freezing turns an accidental in-place edit into an error
// instead of a change that leaks into every tenant's next answer.
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

export const builtinPersonalities: readonly Personality[] = deepFreeze(BuiltinList.parse(builtinsJson));

export const builtinIds: readonly string[] = Object.freeze(builtinPersonalities.map((p) => p.id));

const byId = new Map(builtinPersonalities.map((p) => [p.id, p]));

export function isBuiltinId(id: string): boolean {
  return byId.has(id);
}

/** A private copy: callers merge tenant overrides into it, which must never reach the shared original. */
export function builtinPersonality(id: string): Personality | undefined {
  const found = byId.get(id);
  return found === undefined ? undefined : structuredClone(found);
}
