// The platform stack synthesized once per test file, and the lookups the infra tests share.
import { fileURLToPath } from 'node:url';
import { App, CfnElement, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { RouteId } from '../../functions/http/routes.ts';
import type { VoiceFunction } from '../../lib/voice-function.ts';
import { VoicePlatformStack } from '../../lib/voice-platform-stack.ts';

export type Resource = { Type: string; Properties: Record<string, unknown> };
export type Statement = { Action: string | string[]; Resource: unknown };

export interface Platform {
  app: App;
  stack: VoicePlatformStack;
  /** Absent when synthesis failed, for example on a cdk-nag error; `synthError` says why. */
  template: Template | undefined;
  synthError: string | undefined;
}

let current: Platform | undefined;

/** A one-page stand-in for console/dist, so the tests never depend on building the console. */
export const CONSOLE_FIXTURE = fileURLToPath(new URL('./fixtures/console', import.meta.url));

/** Builds the stack with cdk-nag attached and synthesizes it; call it in `beforeAll`. */
export function synthesizePlatform(): Platform {
  // Bundling skipped: these tests read the template, not the handlers' code (whose entry files must still exist).
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new VoicePlatformStack(app, 'VoicePlatform', { consoleDist: CONSOLE_FIXTURE });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  current = { app, stack, template: undefined, synthError: undefined };
  try {
    current.template = Template.fromStack(stack);
  } catch (error) {
    // cdk-nag errors stop synthesis; keep the report so the cdk-nag test can show it.
    current.synthError = (error as Error).message;
  }
  return current;
}

export function platform(): Platform {
  if (!current) throw new Error('synthesizePlatform() has not run');
  return current;
}

export function synthesized(): Template {
  const { template, synthError } = platform();
  if (!template) throw new Error(`The stack did not synthesize:\n${synthError}`);
  return template;
}

export function logicalId(construct: IConstruct): string {
  const resource = construct.node.defaultChild;
  if (!(resource instanceof CfnElement))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return platform().stack.resolve(resource.logicalId) as string;
}

export function resource(construct: IConstruct): Resource {
  const found = synthesized().toJSON().Resources[logicalId(construct)] as Resource | undefined;
  if (!found) throw new Error(`${construct.node.path} is not in the template`);
  return found;
}

/** Every IAM statement granted to a function's (or a state machine's) role, across its policies. */
export function statementsOf(grantee: IConstruct & { role?: IRole }): Statement[] {
  if (!grantee.role) throw new Error(`${grantee.node.path} has no role`);
  const policies = synthesized().findResources('AWS::IAM::Policy', {
    Properties: { Roles: Match.arrayWith([{ Ref: logicalId(grantee.role) }]) },
  });
  return Object.values(policies).flatMap(
    (policy) => policy.Properties.PolicyDocument.Statement as Statement[],
  );
}

/** Every IAM action granted to a route's function. */
export function actionsOf(routeId: RouteId): string[] {
  return statementsOf(platform().stack.api.functions[routeId]).flatMap((s) => s.Action);
}

/** The resources of the statements that grant `action` to a route's function. */
export function resourcesFor(routeId: RouteId, action: string): unknown[] {
  return statementsOf(platform().stack.api.functions[routeId])
    .filter((s) => [s.Action].flat().includes(action))
    .flatMap((s) => s.Resource);
}

export function environmentOf(fn: VoiceFunction): Record<string, unknown> {
  const environment = resource(fn).Properties.Environment as
    { Variables?: Record<string, unknown> } | undefined;
  return environment?.Variables ?? {};
}

/** The function URL in front of a route's function, if it has one. */
export function functionUrlOf(routeId: RouteId): Resource | undefined {
  const fn = platform().stack.api.functions[routeId];
  const urls = synthesized().findResources('AWS::Lambda::Url', {
    Properties: { TargetFunctionArn: { 'Fn::GetAtt': [logicalId(fn), 'Arn'] } },
  });
  const found = Object.values(urls) as Resource[];
  if (found.length > 1) throw new Error(`${routeId} has ${found.length} function URLs`);
  return found[0];
}

/** `chatStream` → `ChatStreamUrl`: the stack output naming a streaming route's URL. */
export const streamingOutputName = (routeId: string) =>
  `${routeId.charAt(0).toUpperCase()}${routeId.slice(1)}Url`;
