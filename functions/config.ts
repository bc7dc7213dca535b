// Runtime configuration: the one place that reads process.env, checked once at cold start so a gap fails loudly.
import * as z from 'zod';

const flag = z.enum(['true', 'false', '1', '0']).transform((value) => value === 'true' || value === '1');
const positiveInt = z.coerce.number().int().positive();

const Environment = z.object({
  TABLE_NAME: z.string().min(1),
  SAMPLES_BUCKET: z.string().min(1),
  AUDIO_BUCKET: z.string().min(1),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  /** Set by the local stack: DynamoDB Local and s3rver in place of AWS. */
  DYNAMODB_ENDPOINT: z.url().optional(),
  S3_ENDPOINT: z.url().optional(),
  /** The issuer whose tokens are trusted: the Cognito user pool in AWS, the local issuer on the local stack. */
  AUTH_ISSUER: z.string().min(1),
  /** Defaults to the issuer's `/.well-known/jwks.json`, as Cognito publishes it. */
  AUTH_JWKS_URL: z.url().optional(),
  /** The app client id tokens must be minted for; unset accepts any audience of the issuer. */
  AUTH_AUDIENCE: z.string().min(1).optional(),
  APP_VERSION: z.string().default('dev'),

  // Speech providers. Locally keys come from here; in AWS from the Secrets Manager secret PROVIDER_KEYS_SECRET.
  PROVIDER_KEYS_SECRET: z.string().min(1).optional(),
  ELEVENLABS_API_KEY: z.string().min(1).optional(),
  ELEVENLABS_BASE_URL: z.url().optional(),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url().optional(),
  /** A service-account key as JSON, or an API key, or (for simulators and quick trials) an OAuth access token. */
  GOOGLE_TTS_CREDENTIALS: z.string().min(1).optional(),
  GOOGLE_TTS_API_KEY: z.string().min(1).optional(),
  GOOGLE_TTS_ACCESS_TOKEN: z.string().min(1).optional(),
  GOOGLE_TTS_ENDPOINT: z.url().optional(),
  /** Polly needs no key: the function's role (AWS) or the usual AWS credentials (locally) sign the calls. */
  POLLY_ENABLED: flag.default(false),
  POLLY_ENDPOINT: z.url().optional(),
  /** espeak-ng in WebAssembly: the offline voice of the local stack; off in AWS. */
  LOCAL_TTS: flag.default(false),
  /** The last voice in every chain, `provider:voice_id` (`local:auto` picks by the personality's gender). */
  DEFAULT_VOICE: z
    .string()
    .regex(
      /^(none|(elevenlabs|google|polly|openai|local):[^:\s]+(:[^:\s]+)?)$/,
      'must be provider:voice_id[:model] or none',
    )
    .optional(),
  TTS_TIMEOUT_MS: positiveInt.default(15_000),
  TTS_RETRY_ATTEMPTS: positiveInt.default(3),
  TTS_RETRY_BASE_MS: positiveInt.default(200),
  TTS_RETRY_MAX_MS: positiveInt.default(3_000),
  TTS_CIRCUIT_THRESHOLD: positiveInt.default(5),
  TTS_CIRCUIT_COOLDOWN_MS: positiveInt.default(30_000),
  /** Where a usage record goes when the table will not take it: an SQS queue in AWS, a directory locally. */
  USAGE_DLQ_URL: z.url().optional(),
  USAGE_DLQ_DIR: z.string().min(1).optional(),

  // Chat. OpenAI (or any OpenAI-compatible server at OPENAI_BASE_URL) when OPENAI_API_KEY is set; else offline.
  OPENAI_CHAT_MODEL: z.string().min(1).default('gpt-4o-mini'),
  CHAT_TIMEOUT_MS: positiveInt.default(30_000),
  /** Tokens of history sent with each message, besides the system prompt and the new message. */
  CHAT_HISTORY_TOKENS: positiveInt.default(3000),

  // Voice training.
  TRAINING_STATE_MACHINE_ARN: z.string().min(1).optional(),
  /** Set by the local stack: its Step Functions stand-in. */
  STEP_FUNCTIONS_ENDPOINT: z.url().optional(),
  /** How many times the state machine asks a provider whether a new voice is ready before giving up. */
  TRAINING_MAX_STATUS_CHECKS: positiveInt.default(30),
  /** At most one training per tenant in this many seconds. */
  TRAINING_INTERVAL_SECONDS: positiveInt.default(3600),

  // Tenancy.
  /** The plan of a tenant no operator has given one (functions/tenants/plans.ts). */
  DEFAULT_PLAN: z.enum(['free', 'small_business', 'professional', 'enterprise']).default('professional'),
  /** How long a verified API key is trusted without looking it up again. */
  API_KEY_CACHE_SECONDS: z.coerce.number().int().min(0).default(60),

  // Webhooks: an SQS queue in AWS; locally the deliveries run in the process, retried on timers.
  WEBHOOK_QUEUE_URL: z.url().optional(),
  WEBHOOK_MAX_ATTEMPTS: positiveInt.default(6),
  /** The first retry waits this long; each next one twice as long, with jitter. */
  WEBHOOK_RETRY_BASE_MS: positiveInt.default(30_000),
  WEBHOOK_TIMEOUT_MS: positiveInt.default(5_000),
  /** Plain-http webhook URLs (and loopback hosts) are refused unless this is set: the local stack sets it. */
  WEBHOOK_ALLOW_INSECURE: flag.default(false),
});

export interface Config {
  tableName: string;
  samplesBucket: string;
  audioBucket: string;
  region: string;
  dynamodbEndpoint: string | undefined;
  s3Endpoint: string | undefined;
  auth: { issuer: string; jwksUrl: string; audience: string | undefined };
  appVersion: string;
  speech: SpeechConfig;
  usageDeadLetter: { queueUrl: string | undefined; directory: string | undefined };
  chat: { model: string; timeoutMs: number; historyTokens: number };
  training: {
    stateMachineArn: string | undefined;
    stepFunctionsEndpoint: string | undefined;
    maxStatusChecks: number;
    intervalSeconds: number;
  };
  tenancy: { defaultPlan: PlanId; apiKeyCacheSeconds: number };
  webhooks: {
    queueUrl: string | undefined;
    maxAttempts: number;
    retryBaseMs: number;
    timeoutMs: number;
    allowInsecure: boolean;
  };
}

export type PlanId = z.infer<typeof Environment>['DEFAULT_PLAN'];

export interface SpeechConfig {
  keysSecret: string | undefined;
  elevenlabs: { apiKey: string | undefined; baseUrl: string | undefined };
  openai: { apiKey: string | undefined; baseUrl: string | undefined };
  google: {
    credentials: string | undefined;
    apiKey: string | undefined;
    accessToken: string | undefined;
    endpoint: string | undefined;
  };
  polly: { enabled: boolean; endpoint: string | undefined };
  localEnabled: boolean;
  defaultVoice: string | undefined;
  timeoutMs: number;
  retry: { attempts: number; baseMs: number; maxMs: number };
  circuit: { threshold: number; cooldownMs: number };
}

let loaded: Config | undefined;

export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** Reads and checks the environment on first use and keeps the result for the life of the process. */
export function config(): Config {
  if (loaded) return loaded;
  const parsed = Environment.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`Invalid configuration: ${problems.join('; ')}`);
  }
  const env = parsed.data;
  loaded = {
    tableName: env.TABLE_NAME,
    samplesBucket: env.SAMPLES_BUCKET,
    audioBucket: env.AUDIO_BUCKET,
    region: env.AWS_REGION,
    dynamodbEndpoint: env.DYNAMODB_ENDPOINT,
    s3Endpoint: env.S3_ENDPOINT,
    auth: {
      issuer: env.AUTH_ISSUER,
      jwksUrl: env.AUTH_JWKS_URL ?? `${env.AUTH_ISSUER.replace(/\/$/, '')}/.well-known/jwks.json`,
      audience: env.AUTH_AUDIENCE,
    },
    appVersion: env.APP_VERSION,
    speech: {
      keysSecret: env.PROVIDER_KEYS_SECRET,
      elevenlabs: { apiKey: env.ELEVENLABS_API_KEY, baseUrl: env.ELEVENLABS_BASE_URL },
      openai: { apiKey: env.OPENAI_API_KEY, baseUrl: env.OPENAI_BASE_URL },
      google: {
        credentials: env.GOOGLE_TTS_CREDENTIALS,
        apiKey: env.GOOGLE_TTS_API_KEY,
        accessToken: env.GOOGLE_TTS_ACCESS_TOKEN,
        endpoint: env.GOOGLE_TTS_ENDPOINT,
      },
      polly: { enabled: env.POLLY_ENABLED, endpoint: env.POLLY_ENDPOINT },
      localEnabled: env.LOCAL_TTS,
      defaultVoice: env.DEFAULT_VOICE === 'none' ? undefined : env.DEFAULT_VOICE,
      timeoutMs: env.TTS_TIMEOUT_MS,
      retry: { attempts: env.TTS_RETRY_ATTEMPTS, baseMs: env.TTS_RETRY_BASE_MS, maxMs: env.TTS_RETRY_MAX_MS },
      circuit: { threshold: env.TTS_CIRCUIT_THRESHOLD, cooldownMs: env.TTS_CIRCUIT_COOLDOWN_MS },
    },
    usageDeadLetter: { queueUrl: env.USAGE_DLQ_URL, directory: env.USAGE_DLQ_DIR },
    chat: {
      model: env.OPENAI_CHAT_MODEL,
      timeoutMs: env.CHAT_TIMEOUT_MS,
      historyTokens: env.CHAT_HISTORY_TOKENS,
    },
    training: {
      stateMachineArn: env.TRAINING_STATE_MACHINE_ARN,
      stepFunctionsEndpoint: env.STEP_FUNCTIONS_ENDPOINT,
      maxStatusChecks: env.TRAINING_MAX_STATUS_CHECKS,
      intervalSeconds: env.TRAINING_INTERVAL_SECONDS,
    },
    tenancy: { defaultPlan: env.DEFAULT_PLAN, apiKeyCacheSeconds: env.API_KEY_CACHE_SECONDS },
    webhooks: {
      queueUrl: env.WEBHOOK_QUEUE_URL,
      maxAttempts: env.WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: env.WEBHOOK_RETRY_BASE_MS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      allowInsecure: env.WEBHOOK_ALLOW_INSECURE,
    },
  };
  return loaded;
}
