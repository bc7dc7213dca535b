// Generators of bad request bodies for the property tests: valid examples mutated field by field, JSON of every
// wrong shape, and text that is not JSON at all.
import fc from 'fast-check';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = ReadonlyArray<string | number>;

/** Strings people and programs send by mistake or on purpose: empty, control and bidi characters, injections. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\t\n',
  '\u0000',
  '\u202e',
  '\ufeff',
  '\ud800',
  '💥'.repeat(60),
  'null',
  'undefined',
  'NaN',
  '[object Object]',
  '__proto__',
  'constructor',
  '<script>alert(1)</script>',
  "'; DROP TABLE personalities; --",
  '../../etc/passwd',
  '%00',
  '${jndi:ldap://x}',
  'marcel\u0000',
  'MARCEL',
] as const;

/** Numbers just outside the ranges the schemas allow, and some no schema allows. */
const AWKWARD_NUMBERS = [
  -1,
  -0.5,
  0.5,
  1.5,
  4.5,
  11,
  17,
  31,
  101,
  121,
  1e308,
  -1e308,
  2 ** 53 + 2,
  1e-320,
  999_999_999,
  10_485_761,
] as const;

const unicodeString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom(...NASTY_STRINGS),
);

/** Long enough to break every length limit; the longest ones are past the 256 KB body limit. */
const hugeString = fc
  .constantFrom(5_000, 9_000, 70_000, 300_000)
  .chain((length) => fc.constantFrom('x', 'é', '🙂').map((unit) => unit.repeat(length)));

/** Arrays or objects nested hundreds deep (deeper still as raw text: see `badBody`). */
const deepNesting = fc.tuple(fc.integer({ min: 100, max: 1000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i++) value = arrays ? [value] : { nested: value };
  return value;
});

/** A value of the wrong type, size or range for any field. */
export const badValue: fc.Arbitrary<Json> = fc.oneof(
  { weight: 3, arbitrary: unicodeString },
  { weight: 2, arbitrary: fc.constantFrom<Json>(...AWKWARD_NUMBERS) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json> },
  { weight: 1, arbitrary: hugeString },
  { weight: 1, arbitrary: deepNesting },
);

/** Every path into a JSON value: object keys and array indexes, the root excluded. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (Array.isArray(value)) {
    return value.flatMap((item, index) => [[...prefix, index], ...pathsOf(item, [...prefix, index])]);
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [
      [...prefix, key],
      ...pathsOf(item, [...prefix, key]),
    ]);
  }
  return [];
}

function containersOf(value: unknown): Path[] {
  return [[], ...pathsOf(value)].filter((path) => {
    const node = path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)?.[key], value);
    return node !== null && typeof node === 'object' && !Array.isArray(node);
  });
}

type Mutation =
  | { kind: 'drop'; path: Path }
  | { kind: 'set'; path: Path; value: Json }
  | { kind: 'add'; path: Path; key: string; value: Json };

function applyMutation(body: Json, mutation: Mutation): Json {
  const path = mutation.path;
  if (mutation.kind !== 'add' && path.length === 0) return body;
  const parentPath = mutation.kind === 'add' ? path : path.slice(0, -1);
  const parent = parentPath.reduce<unknown>(
    (at, key) => (at as Record<string | number, unknown>)?.[key],
    body,
  );
  if (parent === null || typeof parent !== 'object') return body;
  const container = parent as Record<string | number, Json>;
  if (mutation.kind === 'add') {
    Object.defineProperty(container, mutation.key, {
      value: mutation.value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    return body;
  }
  const key = path[path.length - 1]!;
  if (mutation.kind === 'set') container[key] = mutation.value;
  else if (Array.isArray(container)) container.splice(Number(key), 1);
  else delete container[key];
  return body;
}

const fieldName = fc.oneof(
  fc.constantFrom('id', 'tenant_id', 'status', 'role', 'version', 'admin', '__proto__', 'constructor', ''),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
);

/** A valid example changed by one to three mutations: fields dropped, set to bad values, or unknown ones added. */
export function mutatedBody(example: unknown): fc.Arbitrary<Json> {
  const paths = pathsOf(example);
  const containers = containersOf(example);
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    ...(paths.length
      ? [
          fc.constantFrom(...paths).map((path): Mutation => ({ kind: 'drop', path })),
          fc
            .record({ path: fc.constantFrom(...paths), value: badValue })
            .map((m): Mutation => ({ kind: 'set', ...m })),
        ]
      : []),
    fc
      .record({ path: fc.constantFrom(...containers), key: fieldName, value: badValue })
      .map((m): Mutation => ({ kind: 'add', ...m })),
  );
  return fc
    .array(mutation, { minLength: 1, maxLength: 3 })
    .map((mutations) => mutations.reduce(applyMutation, structuredClone(example) as Json));
}

/** What a body is as sent: JSON (`json`) or raw text that may not be JSON at all (`raw`). */
export type BadBody = { json: Json } | { raw: string };

/** Bodies of every kind a route may be sent: mutated examples, other JSON values, and text that is not JSON. */
export function badBody(example: unknown): fc.Arbitrary<BadBody> {
  const text = JSON.stringify(example);
  return fc.oneof(
    { weight: 6, arbitrary: mutatedBody(example).map((json): BadBody => ({ json })) },
    { weight: 2, arbitrary: badValue.map((json): BadBody => ({ json })) },
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 0, max: text.length - 1 })
        .map((end): BadBody => ({ raw: text.slice(0, end) })),
    },
    {
      // Nesting a recursive parser or validator would overflow its stack on, still under the body limit.
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 10_000, max: 120_000 }), fc.constantFrom('[', '{"a":'))
        .map(([depth, open]): BadBody => {
          const close = open === '[' ? ']' : '}';
          return { raw: `{"deep":${open.repeat(depth)}1${close.repeat(depth)}}` };
        }),
    },
    {
      weight: 1,
      arbitrary: fc
        .oneof(
          fc.string({ unit: 'binary', maxLength: 60 }),
          fc.constantFrom(
            `${text},`,
            `${text}}`,
            `[${text}`,
            text.replace(/"/g, "'"),
            `{"a":1,}`,
            'undefined',
          ),
        )
        .map((raw): BadBody => ({ raw })),
    },
  );
}
