// The stack's hardening: least-privilege IAM on the table and buckets, no secret in any function's environment, and
// cdk-nag's AwsSolutions rules with nothing left unacknowledged and every acknowledgement explained.
import { beforeAll, describe, expect, it } from 'vitest';
import { Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { VoicePlatformStack } from '../../lib/voice-platform-stack.ts';
import { logicalId, platform, synthesizePlatform, synthesized, type Statement } from './platform.ts';

let stack: VoicePlatformStack;

beforeAll(() => {
  ({ stack } = synthesizePlatform());
}, 120_000);

/** Services whose actions reach the platform's data or run its code: never granted on every resource. */
const DATA_SERVICES = /^(dynamodb|s3|sqs|secretsmanager|states|lambda|kms|cognito-idp):/;

/** Every Allow statement of every policy in the template, with the logical id of the policy or role holding it. */
function allowStatements(): { holder: string; statement: Statement & { Effect: string } }[] {
  const resources = synthesized().toJSON().Resources as Record<string, { Type: string; Properties: any }>;
  return Object.entries(resources).flatMap(([holder, resource]) => {
    const documents =
      resource.Type === 'AWS::IAM::Policy'
        ? [resource.Properties.PolicyDocument]
        : resource.Type === 'AWS::IAM::Role'
          ? (resource.Properties.Policies ?? []).map((policy: any) => policy.PolicyDocument)
          : [];
    return documents
      .flatMap((document: any) => document.Statement as (Statement & { Effect: string })[])
      .filter((statement: { Effect: string }) => statement.Effect === 'Allow')
      .map((statement: Statement & { Effect: string }) => ({ holder, statement }));
  });
}

const actionsOf = (statement: Statement) => [statement.Action].flat();
const resourcesOf = (statement: Statement) => [statement.Resource].flat();
const mentions = (value: unknown, id: string) => JSON.stringify(value).includes(`"${id}"`);

/** Names that say "secret", and values shaped like well-known keys: OpenAI, AWS, Google, webhook and API-key secrets, PEM. */
const SECRET_NAME = /KEY|SECRET|TOKEN|PASSWORD/i;
const SECRET_VALUES = [
  /\bsk-[A-Za-z0-9_-]{16,}/,
  /\bAKIA[0-9A-Z]{16}\b/,
  /\bAIza[0-9A-Za-z_-]{35}\b/,
  /\bwhsec_/,
  /\bvap_/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

/** The string literals anywhere in a CloudFormation value (inside Fn::Join, Fn::Sub …). */
function literals(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(literals);
  if (value && typeof value === 'object') return Object.values(value).flatMap(literals);
  return [];
}

/** What looks like a secret in one function's environment, as `NAME: why`. */
function secretsIn(variables: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    // A reference (Ref, Fn::GetAtt) or an ARN names where a secret is, which is what a function should be given.
    if (SECRET_NAME.test(name) && typeof value === 'string' && !value.startsWith('arn:')) {
      problems.push(`${name}: a literal value under a secret's name`);
    }
    for (const text of literals(value)) {
      const pattern = SECRET_VALUES.find((candidate) => candidate.test(text));
      if (pattern) problems.push(`${name}: looks like a key (${pattern.source})`);
    }
  }
  return problems;
}

describe('IAM', () => {
  it('grants no action on everything, nor every action of a service', () => {
    const statements = allowStatements();
    expect(statements.length).toBeGreaterThan(50);
    const wildcards = statements.flatMap(({ holder, statement }) =>
      actionsOf(statement)
        .filter(
          (action) => action === '*' || /^[\w-]+:\*$/.test(action) || /^(dynamodb|s3):.*\*/.test(action),
        )
        .map((action) => `${holder}: ${action}`),
    );
    expect(wildcards).toEqual([]);
  });

  it('never grants a data action on every resource', () => {
    const open = allowStatements().flatMap(({ holder, statement }) =>
      resourcesOf(statement).includes('*')
        ? actionsOf(statement)
            .filter((action) => DATA_SERVICES.test(action))
            .map((action) => `${holder}: ${action}`)
        : [],
    );
    expect(open).toEqual([]);
    // What is left on `*` is what cannot be scoped: Polly's voices, log delivery and X-Ray.
    const unscoped = allowStatements()
      .filter(({ statement }) => resourcesOf(statement).includes('*'))
      .flatMap(({ statement }) => actionsOf(statement));
    for (const action of unscoped) expect(action).toMatch(/^(polly|logs|xray):/);
  });

  it('grants DynamoDB actions on the table and its indexes only', () => {
    const table = logicalId(stack.storage.table);
    const dynamodb = allowStatements().filter(({ statement }) =>
      actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
    );
    expect(dynamodb.length).toBeGreaterThan(0);
    for (const { holder, statement } of dynamodb) {
      expect(
        actionsOf(statement).every((action) => action.startsWith('dynamodb:')),
        holder,
      ).toBe(true);
      for (const target of resourcesOf(statement)) expect(mentions(target, table), holder).toBe(true);
    }
  });

  it('grants S3 actions on the platform’s buckets and their objects only', () => {
    const buckets = [
      stack.storage.samples,
      stack.storage.audio,
      stack.storage.accessLogs,
      stack.console.bucket,
    ].map(logicalId);
    // And the console's deployment reads the two archives CDK staged for it, each by its key (console.test.ts).
    const staged = stack.console.stagedArchives.map((asset) =>
      JSON.stringify(stack.resolve(asset.bucket.arnForObjects(asset.s3ObjectKey))),
    );
    const s3 = allowStatements().filter(({ statement }) =>
      actionsOf(statement).some((action) => action.startsWith('s3:')),
    );
    expect(s3.length).toBeGreaterThan(0);
    for (const { holder, statement } of s3) {
      for (const target of resourcesOf(statement)) {
        expect(
          buckets.some((bucket) => mentions(target, bucket)) || staged.includes(JSON.stringify(target)),
          `${holder}: ${JSON.stringify(target)}`,
        ).toBe(true);
      }
    }
  });
});

describe('function environments', () => {
  const functions = () =>
    Object.entries(synthesized().findResources('AWS::Lambda::Function')).map(([id, fn]) => ({
      id,
      variables: (fn.Properties.Environment?.Variables ?? {}) as Record<string, unknown>,
    }));

  it('recognise a secret when they see one', () => {
    // Made-up values, shaped like the real thing.
    expect(secretsIn({ OPENAI_API_KEY: `sk-proj-${'x'.repeat(24)}` })).toHaveLength(2);
    expect(secretsIn({ WEBHOOK_SECRET: 'anything' })).toHaveLength(1);
    expect(
      secretsIn({ SETTINGS: { 'Fn::Join': ['', ['prefix ', `whsec_${'A'.repeat(44)}`]] } }),
    ).toHaveLength(1);
    expect(secretsIn({ CONFIG: `AKIA${'X'.repeat(16)}` })).toHaveLength(1);
    expect(secretsIn({ DEPLOY_KEY: '-----BEGIN RSA PRIVATE KEY-----\n…' })).toHaveLength(2);
    expect(secretsIn({ PROVIDER_KEYS_SECRET: { Ref: 'ProviderKeys' }, TABLE_NAME: 'voice' })).toEqual([]);
  });

  it('hold no secret: names of where secrets are, never their values', () => {
    const all = functions();
    expect(all.length).toBeGreaterThan(40);
    const problems = all.flatMap(({ id, variables }) =>
      secretsIn(variables).map((problem) => `${id} ${problem}`),
    );
    expect(problems).toEqual([]);
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('leaves no error and no warning unacknowledged', () => {
    const { app, template, synthError } = platform();
    const findings = new AwsSolutionsChecks()
      .validateScope(app)
      .violations.flatMap((violation) =>
        violation.violatingResources.map(
          (where) => `${violation.severity ?? 'error'} ${violation.ruleName} ${where.constructPath}`,
        ),
      );
    expect(findings).toEqual([]);
    expect(synthError).toBeUndefined();
    expect(template).toBeDefined();
    const annotations = Annotations.fromStack(stack);
    const nag = Match.stringLikeRegexp('AwsSolutions-');
    expect([...annotations.findError('*', nag), ...annotations.findWarning('*', nag)]).toEqual([]);
  });

  it('explains every acknowledgement, next to the resource it concerns', () => {
    const acknowledged = platform()
      .app.node.findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) =>
            Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
              path: construct.node.path,
              id,
              reason,
            })),
          ),
      );
    const ids = acknowledged.map((entry) => entry.id);
    // The user pool's optional MFA is a choice, acknowledged on the pool itself.
    expect(acknowledged).toContainEqual(
      expect.objectContaining({ path: stack.auth.userPool.node.path, id: expect.stringContaining('COG2') }),
    );
    expect(ids.some((id) => id.includes('COG8'))).toBe(false);
    // CDK acknowledges some CloudFormation-Validate findings of its own constructs; ours are the AwsSolutions ones.
    const ours = acknowledged.filter(({ id }) => id.includes('AwsSolutions-'));
    expect(ours.length).toBeGreaterThan(0);
    for (const { path, id, reason } of ours) {
      expect(reason.length, `${path} ${id}`).toBeGreaterThanOrEqual(60);
    }
  });
});
