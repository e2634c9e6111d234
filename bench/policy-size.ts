/**
 * Policy size: one assistant granted 300 S3 prefixes, 100 DynamoDB tables and 50 secrets, planned
 * by the toolkit (core/aws/plan.ts → pack.ts), against aws-cdk-lib's policy minimisation
 * (`@aws-cdk/aws-iam:minimizePolicies: true`) of the SAME statements (each grant's statements with
 * the same expiry condition), added to a CDK Role with addToPolicy and synthesised in this run.
 * Sizes are AWS's: the JSON without whitespace (core/aws/types.ts policySize).
 *
 * Also checks that past what fits, planning fails with a clear error (no resource is made).
 */
import { validateSpec } from "../core/spec/validate";
import { planAwsAssistant } from "../core/aws/plan";
import { QUOTAS } from "../core/aws/pack";
import { policySize, type IamDocument, type IamStatement } from "../core/aws/types";
import { ACCOUNT, BENCH_NOW, generatePlatform, manyGrantsAssistant, REGION } from "./generate";
import { performance } from "perf_hooks";

export interface PolicySizeResult {
  grants: { s3: number; dynamodb: number; secrets: number };
  statementsIn: number;
  ours: { totalChars: number; inline: number[]; managed: number[]; withinQuotas: boolean; planMs: number };
  cdk: { totalChars: number; inline: number[]; managed: number[]; withinQuotas: boolean; synthMs: number; version: string };
  /** ours.totalChars / cdk.totalChars (≤ 1 meets the target). */
  ratio: number;
  overflow: { grants: number; error: string | undefined };
}

function plan(counts: { s3: number; dynamodb: number; secrets: number }) {
  // validateSpec already plans each assistant (a spec that cannot be planned is invalid); plan again
  // to get the plan itself.
  const { spec, errors } = validateSpec({ platform: generatePlatform(), assistants: [manyGrantsAssistant(counts)] }, { now: BENCH_NOW });
  if (!spec) return { plan: undefined, errors };
  return planAwsAssistant(spec.assistants[0], 0, spec.platform);
}

interface CdkPolicies {
  inline: IamDocument[];
  managed: IamDocument[];
  version: string;
}

/** aws-cdk-lib is a dev dependency of the bench only; loaded untyped to keep `tsc --noEmit` fast. */
function cdkMinimised(statements: IamStatement[], providerArn: string): CdkPolicies {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk = require("aws-cdk-lib");
  const iam = require("aws-cdk-lib/aws-iam");
  const version = (require("aws-cdk-lib/package.json") as { version: string }).version;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const app = new cdk.App({ context: { "@aws-cdk/aws-iam:minimizePolicies": true }, analyticsReporting: false });
  const stack = new cdk.Stack(app, "PolicySizeBench", { env: { account: ACCOUNT, region: REGION } });
  const role = new iam.Role(stack, "Assistant", { assumedBy: new iam.WebIdentityPrincipal(providerArn), roleName: "ai-data-mover-prod" });
  for (const s of statements) {
    role.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.ALLOW, actions: s.Action, resources: s.Resource, conditions: s.Condition }));
  }
  const template = app.synth().getStackByName(stack.stackName).template as { Resources: Record<string, { Type: string; Properties: { PolicyDocument?: IamDocument } }> };
  const out: CdkPolicies = { inline: [], managed: [], version };
  for (const r of Object.values(template.Resources)) {
    if (r.Type === "AWS::IAM::Policy" && r.Properties.PolicyDocument) out.inline.push(r.Properties.PolicyDocument);
    if (r.Type === "AWS::IAM::ManagedPolicy" && r.Properties.PolicyDocument) out.managed.push(r.Properties.PolicyDocument);
  }
  return out;
}

const withinQuotas = (inline: number[], managed: number[]) =>
  inline.reduce((a, b) => a + b, 0) <= QUOTAS.inlinePerRole && managed.length <= QUOTAS.managedPerRole && managed.every((m) => m <= QUOTAS.managedPolicy);

export function benchPolicySize(): PolicySizeResult {
  const counts = { s3: 300, dynamodb: 100, secrets: 50 };
  const t0 = performance.now();
  const { plan: p, errors } = plan(counts);
  const planMs = performance.now() - t0;
  if (!p) throw new Error(`the 450-grant assistant did not plan: ${errors.map((e) => e.message).join("; ")}`);
  const statements = p.grants.flatMap((g) =>
    g.statements.map((s) => ({ ...s, Condition: { ...(s.Condition ?? {}), DateLessThan: { "aws:CurrentTime": p.expiresAt } } })),
  );
  const oursInline = p.inlinePolicies.map(policySize);
  const oursManaged = p.managedPolicies.map(policySize);
  const oursTotal = [...oursInline, ...oursManaged].reduce((a, b) => a + b, 0);

  const t1 = performance.now();
  const cdk = cdkMinimised(statements, p.providerArn);
  const synthMs = performance.now() - t1;
  const cdkInline = cdk.inline.map(policySize);
  const cdkManaged = cdk.managed.map(policySize);
  const cdkTotal = [...cdkInline, ...cdkManaged].reduce((a, b) => a + b, 0);

  // Past what fits: ten times the grants must fail at plan time with a message that says what to do.
  const big = { s3: 3000, dynamodb: 1000, secrets: 500 };
  const over = plan(big);
  const error = over.plan ? undefined : over.errors.map((e) => `${e.path}: ${e.message}`).join("; ");

  return {
    grants: counts,
    statementsIn: statements.length,
    ours: { totalChars: oursTotal, inline: oursInline, managed: oursManaged, withinQuotas: withinQuotas(oursInline, oursManaged), planMs },
    cdk: { totalChars: cdkTotal, inline: cdkInline, managed: cdkManaged, withinQuotas: withinQuotas(cdkInline, cdkManaged), synthMs, version: cdk.version },
    ratio: oursTotal / cdkTotal,
    overflow: { grants: big.s3 + big.dynamodb + big.secrets, error },
  };
}
