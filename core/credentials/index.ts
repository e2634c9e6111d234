/**
 * Static-credential planning (pure): schedules, per-cloud plans, the inventory fragment and the
 * policy-pack exceptions a credential implies.
 */
import type { StaticCredential as InventoryCredential } from "../inventory/schema";
import type { AwsCredentialPlan } from "./aws";
import type { GcpCredentialPlan } from "./gcp";

export * from "./schedule";
export * from "./aws";
export * from "./gcp";

export type CredentialPlan = AwsCredentialPlan | GcpCredentialPlan;

/** The inventory entry: where the value lives (ARN or name), its owner, schedule and exception; never the value. */
export function inventoryCredential(plan: CredentialPlan, storeRef: string): InventoryCredential {
  return {
    id: plan.id,
    system: plan.system,
    store: plan.cloud === "aws" ? "aws-secretsmanager" : "gcp-secretmanager",
    storeRef,
    owner: plan.owner,
    justification: plan.justification,
    rotationDays: plan.rotationDays,
    nextRotation: plan.cloud === "aws" && plan.accessKey ? plan.accessKey.rotation.nextRotation : plan.schedule.next,
    exceptionExpires: plan.exceptionExpires,
    disabled: plan.disabled,
  };
}

/** Same shape as policies/rule.ts RuleException (core does not import policies). */
export interface PackException {
  name?: string;
  urn?: string;
  key?: string;
  owner: string;
  reason: string;
  /** Last day (inclusive) the exception applies: the day before access ends. */
  expires: string;
}

function lastDay(exceptionExpires: string): string {
  return new Date(Date.parse(`${exceptionExpires}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}

/**
 * The time-boxed policy-pack exceptions an IAM-user-key credential needs (keyed by rule id): the
 * access keys under `no-static-credentials`, and its secret under `secrets-rotation` (it rotates
 * by replacement, not through a Lambda). Other credentials need none.
 */
export function packExceptions(plan: CredentialPlan, names: { accessKeys: string; secret: string }): Record<string, PackException[]> {
  if (plan.cloud !== "aws" || !plan.accessKey) return {};
  const base = { owner: plan.owner, expires: lastDay(plan.exceptionExpires) };
  return {
    "no-static-credentials": [{ ...base, name: names.accessKeys, reason: `unavoidable static credential for ${plan.system}: ${plan.justification}` }],
    "secrets-rotation": [
      {
        ...base,
        name: names.secret,
        key: "no-rotation",
        reason: `rotated by replacement: two IAM access keys on ${plan.accessKey.rotation.slots[0].rotationDays}-day @pulumiverse/time Rotating schedules offset by ${plan.rotationDays} days`,
      },
    ],
  };
}
