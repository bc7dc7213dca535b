// Runtime configuration: the one place that reads process.env, checked once at cold start so a gap fails loudly.
import { z } from 'zod';

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
  };
  return loaded;
}
