/**
 * The stack's AWS audit plan from the whole spec: every assistant with AWS access, by role ARN.
 * Shared by validation (fail before registering) and the stack component (render it).
 */
import { planAwsAssistant, type AwsAssistantPlan } from "../aws/plan";
import type { StackSpec } from "../spec/schema";
import { AwsAuditPlatform } from "../spec/audit";
import { planAwsAudit, type AuditAssistantRef, type AwsAuditPlan } from "./aws";
import type { SpecError } from "../spec/errors";

export const roleArnOf = (p: AwsAssistantPlan) => `arn:${p.scope.partition}:iam::${p.scope.accountId}:role${p.rolePath}${p.roleName}`;

export function planStackAudit(spec: StackSpec): { plan?: AwsAuditPlan; errors: SpecError[] } {
  const refs: AuditAssistantRef[] = [];
  spec.assistants.forEach((a, i) => {
    const plan = a.aws ? planAwsAssistant(a, i, spec.platform).plan : undefined;
    if (plan) refs.push({ name: a.name, environment: a.environment, roleName: plan.roleName, roleArn: roleArnOf(plan), lookbackDays: a.audit.queryLookbackDays });
  });
  if (!refs.length || !spec.platform.aws) return { errors: [] };
  const settings = spec.platform.audit.aws ?? AwsAuditPlatform.parse({});
  return planAwsAudit(refs, settings, {
    namePrefix: spec.platform.namePrefix,
    scope: { partition: spec.platform.aws.partition, accountId: spec.platform.aws.accountId, region: spec.platform.aws.region },
    grantKinds: spec.assistants.flatMap((a) => a.aws?.grants.map((g) => g.kind) ?? []),
  });
}
