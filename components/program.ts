/**
 * The Pulumi program as a function: read the stack config, validate it (every problem at once,
 * before any resource is registered), build one governed identity per assistant, return the
 * stack outputs. `index.ts` exports it; the offline planner and the tests call it under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import { SpecValidationError } from "../core/spec/errors";
import { loadSpec } from "../core/spec/validate";
import { deployAssistants } from "./stack";

export function program() {
  const config = new pulumi.Config("assistant-identities");
  const now = process.env.ASSISTANT_IDENTITIES_NOW ? new Date(process.env.ASSISTANT_IDENTITIES_NOW) : new Date();
  let spec;
  try {
    spec = loadSpec(
      { platform: config.getObject("platform"), assistants: config.getObject("assistants") },
      {
        source: `stacks/Pulumi.${pulumi.getStack()}.yaml (config keys assistant-identities:platform and assistant-identities:assistants)`,
        // Expiry is judged against now; ASSISTANT_IDENTITIES_NOW re-evaluates as of another instant (audits, tests).
        now,
        stack: pulumi.getStack(),
      },
    );
  } catch (e) {
    // A RunError prints its message without a stack trace: the user sees the list of problems.
    if (e instanceof SpecValidationError) throw new pulumi.RunError(e.message);
    throw e;
  }

  const deployed = deployAssistants(spec, now);
  return {
    /** The versioned auditor inventory: every assistant, what it can reach, for how long. */
    inventory: deployed.inventory,
    /** `name/environment` → AWS role ARN, for workflows and tool gateways. */
    awsRoleArns: Object.fromEntries(
      spec.assistants.flatMap((a, i) => {
        const role = deployed.assistants[i].awsRole;
        return role ? [[`${a.name}/${a.environment}`, role.roleArn]] : [];
      }),
    ),
    /** Pack exceptions the stack's unavoidable static credentials need: pass them with --policy-pack-config. */
    policyExceptions: deployed.policyExceptions,
    /** `name/environment` → Verified Permissions policy store id, for each assistant's tool gateway. */
    toolPolicyStores: Object.fromEntries(
      spec.assistants.flatMap((a, i) => {
        const tools = deployed.assistants[i].tools;
        return tools ? [[`${a.name}/${a.environment}`, tools.policyStoreId]] : [];
      }),
    ),
  };
}
