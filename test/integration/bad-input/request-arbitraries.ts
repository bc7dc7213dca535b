// Generators of bad request parts besides the body, for the property tests: garbage header values, credentials that
// are not credentials, content types that are not JSON, If-Match values that are no version, path ids that name
// nothing, and query parameters no route takes.
import fc from 'fast-check';

/** Characters an HTTP client can put in a header value: visible ASCII, spaces, and Latin-1 bytes. */
const headerCharacter = fc
  .oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff }))
  .map((code) => String.fromCharCode(code));

export const headerGarbage = fc
  .oneof(
    fc.string({ unit: headerCharacter, minLength: 1, maxLength: 120 }),
    fc.string({ unit: headerCharacter, minLength: 2000, maxLength: 6000 }),
  )
  .filter((value) => value.trim().length > 0);

const base64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** Three dot-separated base64url parts, as a JWT looks, whose header and claims are arbitrary JSON. */
const jwtShaped = fc
  .tuple(
    fc.oneof(
      fc.record(
        {
          alg: fc.constantFrom('RS256', 'none', 'HS256', 'ES256', 'PS256', 'RS512', '', 'rs256'),
          kid: fc.oneof(fc.string({ maxLength: 40 }), fc.integer(), fc.constant(null)),
          typ: fc.constantFrom('JWT', 'at+jwt', ''),
          crit: fc.array(fc.string({ maxLength: 8 }), { maxLength: 2 }),
          b64: fc.boolean(),
          jku: fc.constant('http://127.0.0.1:1/jwks.json'),
        },
        { requiredKeys: ['alg'] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    fc.oneof(
      fc.record(
        {
          'custom:tenant_id': fc.oneof(fc.string({ maxLength: 70 }), fc.integer(), fc.constant(null)),
          'cognito:groups': fc.oneof(fc.constant(['admin']), fc.jsonValue({ maxDepth: 1 })),
          iss: fc.constantFrom('urn:voice-personalities:local-issuer', 'https://evil.example'),
          aud: fc.oneof(fc.constant('voice-personalities-local'), fc.array(fc.string({ maxLength: 8 }))),
          exp: fc.oneof(fc.integer(), fc.double(), fc.string({ maxLength: 8 })),
          nbf: fc.integer(),
          sub: fc.jsonValue({ maxDepth: 1 }),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    fc.oneof(fc.string({ maxLength: 60 }), fc.constant('')),
  )
  .map(([header, claims, signature]) =>
    [base64url(JSON.stringify(header)), base64url(JSON.stringify(claims)), base64url(signature)].join('.'),
  );

/** An Authorization header that is no valid credential: garbage, bearer garbage, JWT-shaped forgeries. */
export const authorizationGarbage = fc.oneof(
  headerGarbage,
  headerGarbage.map((value) => `Bearer ${value}`),
  jwtShaped.map((token) => `Bearer ${token}`),
  jwtShaped,
  fc.constantFrom(
    'Bearer',
    'Bearer ',
    'Basic dXNlcjpwYXNz',
    'bearer null',
    'Bearer undefined',
    'Token abc',
    'Bearer a.b.c',
  ),
);

/** An x-api-key that is no key: garbage, or well-formed secrets nobody issued. */
export const apiKeyGarbage = fc.oneof(
  headerGarbage,
  fc
    .string({
      unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'),
      minLength: 43,
      maxLength: 43,
    })
    .map((secret) => `vap_${secret}`),
);

const JSON_CONTENT_TYPE = /^application\/([a-z0-9.+-]+\+)?json(;|$)/i;

/** Content types that do not say JSON. */
export const contentTypeGarbage = fc
  .oneof(
    headerGarbage,
    fc.constantFrom(
      'text/plain',
      'text/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=xyz',
      'application/xml',
      'application/octet-stream',
      'application/jsonp',
      'application/json-patch',
      'application/ json',
      'json',
      '*/*',
    ),
  )
  .filter((value) => !JSON_CONTENT_TYPE.test(value.trim()));

const VERSION_TAG = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/;

/** If-Match values that name no version. */
export const ifMatchGarbage = fc
  .oneof(
    headerGarbage,
    fc.constantFrom('*', 'W/', '""', '"-1"', '"1.5"', '"1e3"', '"0x10"', '"9999999999"', '"1", "2"'),
  )
  .filter((value) => !VERSION_TAG.test(value));

/** Path ids that name nothing: any text (encoded as a client must), unknown well-formed ids, near misses. */
export const pathIdGarbage = fc
  .oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 80 }),
    fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 300 }),
    fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,63}$/),
    fc.stringMatching(/^s-[a-z0-9]{10,40}$/),
    fc.stringMatching(/^c-[a-f0-9]{16,40}$/),
    fc.stringMatching(/^key_[0-9a-f]{16}$/),
    fc.constantFrom(
      'MARCEL',
      'marcel ',
      ' marcel',
      'marcel\u0000',
      'marcel%2F..',
      '-marcel',
      'a'.repeat(65),
      's-',
      'c-XYZ',
      'key_',
      '%',
      '%%',
      '🙂',
      '__proto__',
      'constructor',
      'toString',
      '...',
    ),
  )
  // `.` and `..` are path segments every URL parser resolves away: no route is asked about them.
  .filter((id) => id !== '.' && id !== '..' && !['marcel', 'shante', 'zac'].includes(id) && encodable(id));

function encodable(text: string): boolean {
  try {
    return decodeURIComponent(encodeURIComponent(text)) === text;
  } catch {
    return false;
  }
}

/** Query parameters that the routes' schemas refuse (checked by the caller): unknown names, bad values. */
export const queryGarbage = fc.dictionary(
  fc.oneof(
    fc.constantFrom('format', 'language', 'from', 'to', 'group_by', '__proto__', 'constructor', 'format[]'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
  ),
  fc.oneof(
    fc.constantFrom(
      'mp3',
      'wav',
      'ogg',
      'MP3',
      'en',
      'en-US',
      'english',
      '1',
      '2025-02-30',
      '2025-13-01',
      '2025-01-01',
      'day',
      'week',
      '',
    ),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
  ),
  { minKeys: 1, maxKeys: 4, noNullPrototype: true },
);
