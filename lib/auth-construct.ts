// Who tenant admins are: the Cognito user pool operators invite them into, its groups, and the console's app client.
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StandardThreatProtectionMode,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';

/** The custom attribute naming a user's tenant; tokens carry it as `custom:tenant_id`. */
export const TENANT_ATTRIBUTE = 'tenant_id';

/** The groups a user can be in; tokens carry them as `cognito:groups`. `admin` may call the admin routes. */
export const USER_GROUPS = {
  admin: 'Tenant admins: manage personalities, voices, API keys, webhooks and usage',
  member: "Tenant members: use the tenant's personalities from the console, without changing them",
} as const;

export type UserGroup = keyof typeof USER_GROUPS;

/**
 * The tenant-admin user pool and the console's app client.
 *
 * Clients send the ID token, not the access token: only the ID token carries `custom:tenant_id` and `cognito:groups`,
 * and its `aud` is the app client id, which the API's JWT authorizer and the handlers check.
 */
export class AuthConstruct extends Construct {
  readonly userPool: UserPool;
  readonly consoleClient: UserPoolClient;
  /** `https://cognito-idp.<region>.amazonaws.com/<pool id>`: the `iss` of the pool's tokens. */
  readonly issuer: string;
  readonly groups: Record<UserGroup, UserPoolGroup>;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.userPool = new UserPool(this, 'UserPool', {
      // Operators invite each admin with a tenant id set; nobody may sign up into a tenant of their choosing.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      // A changed address takes effect only once verified, so a stolen session cannot redirect password resets.
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: {
        // Set once at invitation: a user never changes tenant, and the app client cannot even write it.
        [TENANT_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: false }),
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
        passwordHistorySize: 5,
      },
      // Email only: SMS recovery is open to SIM swapping, and the pool sends no SMS at all.
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      // An admin can clone voices and mint API keys: the Plus plan's threat protection blocks sign-ins with leaked
      // passwords and challenges risky ones. It is charged per active user, and admins are few.
      featurePlan: FeaturePlan.PLUS,
      standardThreatProtectionMode: StandardThreatProtectionMode.FULL_FUNCTION,
      // The users and their tenant ids outlive any one deployment, like the table that holds their tenants' data.
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG2',
      reason:
        'MFA is optional so that an invited admin can sign in the first time without an authenticator app, then ' +
        'enrol TOTP; the threat protection of the Plus plan challenges risky sign-ins of enrolled users meanwhile.',
    });

    this.groups = Object.fromEntries(
      (Object.entries(USER_GROUPS) as [UserGroup, string][]).map(([name, description], precedence) => [
        name,
        new UserPoolGroup(this, `${name.charAt(0).toUpperCase()}${name.slice(1)}Group`, {
          userPool: this.userPool,
          groupName: name,
          description,
          precedence,
        }),
      ]),
    ) as Record<UserGroup, UserPoolGroup>;

    this.consoleClient = this.userPool.addClient('ConsoleClient', {
      // A browser app holds no secret; it signs in with SRP, so the password never leaves the browser.
      generateSecret: false,
      authFlows: { userSrp: true },
      // No hosted UI: the console signs in through the API of the pool, so no OAuth flows or callback URLs.
      disableOAuth: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      enableTokenRevocation: true,
      preventUserExistenceErrors: true,
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes(TENANT_ATTRIBUTE),
      // Never the tenant id: a user must not be able to move into another tenant.
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
    });

    const stack = Stack.of(this);
    this.issuer = `https://cognito-idp.${stack.region}.${stack.urlSuffix}/${this.userPool.userPoolId}`;
  }
}
