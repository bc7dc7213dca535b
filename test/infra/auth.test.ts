// Who may call what in AWS: the tenant-admin user pool and its console client, and the authorizer each route gets.
import { beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { routeList, type Access } from '../../functions/http/routes.ts';
import { TENANT_ATTRIBUTE, USER_GROUPS } from '../../lib/auth-construct.ts';
import type { VoicePlatformStack } from '../../lib/voice-platform-stack.ts';
import {
  environmentOf,
  functionUrlOf,
  logicalId,
  resource,
  statementsOf,
  synthesizePlatform,
  synthesized,
  type Resource,
} from './platform.ts';

let stack: VoicePlatformStack;

beforeAll(() => {
  ({ stack } = synthesizePlatform());
}, 120_000);

const apiRoutes = routeList.filter((route) => (route.transport ?? 'api') === 'api');
const streamingRoutes = routeList.filter((route) => route.transport === 'function-url');

/** `https://cognito-idp.<region>.<suffix>/<pool id>`, as CloudFormation builds it. */
const issuer = () => ({
  'Fn::Join': [
    '',
    [
      'https://cognito-idp.',
      { Ref: 'AWS::Region' },
      '.',
      { Ref: 'AWS::URLSuffix' },
      '/',
      { Ref: logicalId(stack.auth.userPool) },
    ],
  ],
});
const clientId = () => ({ Ref: logicalId(stack.auth.consoleClient) });

/** The one authorizer of the API with these properties, by logical id. */
function authorizerId(properties: Record<string, unknown>): string {
  const found = Object.keys(
    synthesized().findResources('AWS::ApiGatewayV2::Authorizer', { Properties: properties }),
  );
  expect(found).toHaveLength(1);
  return found[0]!;
}
const jwtAuthorizerId = () => authorizerId({ AuthorizerType: 'JWT' });
const lambdaAuthorizerId = () => authorizerId({ AuthorizerType: 'REQUEST' });

describe('user pool', () => {
  it('lets only operators create users, who sign in by email and recover by email only', () => {
    synthesized().hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UsernameAttributes: ['email'],
      AutoVerifiedAttributes: ['email'],
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
    });
  });

  it('asks for strong passwords and expires temporary ones after 3 days', () => {
    const policy = (resource(stack.auth.userPool).Properties.Policies as any).PasswordPolicy;
    expect(policy.MinimumLength).toBeGreaterThanOrEqual(12);
    expect(policy).toMatchObject({
      RequireLowercase: true,
      RequireUppercase: true,
      RequireNumbers: true,
      RequireSymbols: true,
      TemporaryPasswordValidityDays: 3,
    });
  });

  it('offers TOTP as an optional second factor, and no SMS', () => {
    expect(resource(stack.auth.userPool).Properties).toMatchObject({
      MfaConfiguration: 'OPTIONAL',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
    });
  });

  it('keeps an immutable tenant_id attribute for the custom:tenant_id claim', () => {
    const schema = resource(stack.auth.userPool).Properties.Schema as Record<string, unknown>[];
    expect(schema).toContainEqual(
      expect.objectContaining({ Name: TENANT_ATTRIBUTE, AttributeDataType: 'String', Mutable: false }),
    );
  });

  it('survives the stack: deletion protection on, retained on delete', () => {
    synthesized().hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }),
    });
  });

  it('has the admin and member groups, for the cognito:groups claim', () => {
    const groups = Object.values(synthesized().findResources('AWS::Cognito::UserPoolGroup')).map(
      (group) => group.Properties as Record<string, unknown>,
    );
    expect(groups.map((group) => group.GroupName).sort()).toEqual(['admin', 'member']);
    expect(Object.keys(USER_GROUPS).sort()).toEqual(['admin', 'member']);
    for (const group of groups) expect(group.UserPoolId).toEqual({ Ref: logicalId(stack.auth.userPool) });
  });

  it('outputs the pool, the client and the issuer', () => {
    synthesized().hasOutput('UserPoolId', { Value: { Ref: logicalId(stack.auth.userPool) } });
    synthesized().hasOutput('UserPoolClientId', { Value: clientId() });
    synthesized().hasOutput('AuthIssuer', { Value: issuer() });
    expect(synthesized().toJSON().Parameters ?? {}).not.toHaveProperty('JwtIssuer');
  });
});

describe('console app client', () => {
  const client = () => resource(stack.auth.consoleClient).Properties;

  it('is public (no secret), signs in with SRP and hides whether a user exists', () => {
    expect(client()).toMatchObject({
      GenerateSecret: false,
      ExplicitAuthFlows: expect.arrayContaining(['ALLOW_USER_SRP_AUTH']),
      PreventUserExistenceErrors: 'ENABLED',
      AllowedOAuthFlowsUserPoolClient: false,
    });
    expect(client().ExplicitAuthFlows).not.toContain('ALLOW_USER_PASSWORD_AUTH');
    expect(client().ExplicitAuthFlows).not.toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');
  });

  it('issues tokens for an hour and refreshes them for 30 days', () => {
    const minutes = { minutes: 1, hours: 60, days: 24 * 60 } as const;
    const units = client().TokenValidityUnits as Record<string, keyof typeof minutes>;
    const inMinutes = (field: string, unit: string) =>
      (client()[field] as number) * minutes[units[unit] ?? 'minutes'];
    expect(inMinutes('IdTokenValidity', 'IdToken')).toBe(60);
    expect(inMinutes('AccessTokenValidity', 'AccessToken')).toBe(60);
    expect(inMinutes('RefreshTokenValidity', 'RefreshToken')).toBe(30 * 24 * 60);
  });

  it('reads custom:tenant_id but can never write it', () => {
    expect(client().ReadAttributes).toContain(`custom:${TENANT_ATTRIBUTE}`);
    expect(client().WriteAttributes).toBeDefined();
    expect(client().WriteAttributes).not.toContain(`custom:${TENANT_ATTRIBUTE}`);
  });
});

describe('authorizers', () => {
  it('trusts the ID tokens of the pool for the console client on admin routes', () => {
    synthesized().hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: issuer(), Audience: [clientId()] },
    });
  });

  it('checks tenant routes with the Lambda authorizer: simple answers, no identity source, no cache', () => {
    const properties = synthesized().toJSON().Resources[lambdaAuthorizerId()].Properties;
    expect(properties).toMatchObject({
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 0,
    });
    expect(properties.AuthorizerUri['Fn::Join'][1]).toContainEqual({
      'Fn::GetAtt': [logicalId(stack.api.authorizerFunction), 'Arn'],
    });
    // Any identity source would make API Gateway answer 401 to a request carrying only the other header.
    expect(properties.IdentitySource ?? []).toEqual([]);
  });

  it('lets API Gateway invoke the authorizer function as an authorizer of this API only', () => {
    synthesized().hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalId(stack.api.authorizerFunction), 'Arn'] },
      Principal: 'apigateway.amazonaws.com',
      SourceArn: {
        'Fn::Join': [
          '',
          Match.arrayWith([{ Ref: logicalId(stack.api.httpApi) }, Match.stringLikeRegexp('/authorizers/')]),
        ],
      },
    });
  });

  it('gives the authorizer function the token settings and the table, nothing more', () => {
    const fn = stack.api.authorizerFunction;
    expect(environmentOf(fn)).toMatchObject({ AUTH_ISSUER: issuer(), AUTH_AUDIENCE: clientId() });
    expect(resource(fn).Properties.Timeout).toBeLessThanOrEqual(10);
    const actions = statementsOf(fn).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:UpdateItem']));
    expect(actions.filter((action) => /^(s3|secretsmanager|polly|sqs|states):/.test(action))).toEqual([]);
  });

  it.each(apiRoutes.map((route) => [`${route.method} ${route.path}`, route.access] as const))(
    '%s (%s) has the authorizer its access says',
    (routeKey, access) => {
      const found = Object.values(
        synthesized().findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
      ) as Resource[];
      expect(found).toHaveLength(1);
      const expected: Record<Access, () => Record<string, unknown>> = {
        public: () => ({ AuthorizationType: 'NONE', AuthorizerId: undefined }),
        tenant: () => ({ AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: lambdaAuthorizerId() } }),
        admin: () => ({ AuthorizationType: 'JWT', AuthorizerId: { Ref: jwtAuthorizerId() } }),
      };
      const { AuthorizationType, AuthorizerId } = found[0]!.Properties;
      expect({ AuthorizationType, AuthorizerId }).toEqual(expected[access]());
    },
  );

  it.each(streamingRoutes.map((route) => [route.id, `${route.method} ${route.path}`] as const))(
    '%s streams through its function URL with no API Gateway route and no IAM auth: the handler checks',
    (routeId, routeKey) => {
      expect(functionUrlOf(routeId)?.Properties.AuthType).toBe('NONE');
      expect(
        synthesized().findResources('AWS::ApiGatewayV2::Route', { Properties: { RouteKey: routeKey } }),
      ).toEqual({});
      expect(environmentOf(stack.api.functions[routeId])).toMatchObject({
        AUTH_ISSUER: issuer(),
        AUTH_AUDIENCE: clientId(),
      });
    },
  );

  it('covers every route of the route table', () => {
    expect(apiRoutes.length + streamingRoutes.length).toBe(routeList.length);
    expect(apiRoutes.some((route) => route.access === 'tenant')).toBe(true);
  });
});
