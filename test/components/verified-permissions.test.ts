/** ToolAuthorization under Pulumi's mocks: the exact Verified Permissions inputs, parents, ordering and outputs. */
import * as pulumi from "@pulumi/pulumi";
import { recordRegistrations } from "../../cli/engine/run-program";
import { compileToolPolicies } from "../../core/cedar/policies";
import { lintPolicyStore, lintVerifiedPermissionsPolicy } from "../../core/cedar/lint";
import { PR_REVIEWER } from "../core/cedar/examples";

interface Rec {
  type: string;
  name: string;
  urn: string;
  inputs: Record<string, any>;
  dependencies: string[];
}

const records: Rec[] = [];
let outputs: { policyStoreId: string; policyStoreArn: string; policyIds: Record<string, string> };
const bundle = compileToolPolicies(PR_REVIEWER);

const resolve = <T>(o: pulumi.Output<T>) => new Promise<T>((res) => o.apply((v) => res(v)));

beforeAll(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        if (args.type === "aws:verifiedpermissions/policyStore:PolicyStore") {
          return { id: "PSmockStore01", state: { ...args.inputs, policyStoreId: "PSmockStore01", arn: "arn:aws:verifiedpermissions::111122223333:policy-store/PSmockStore01" } };
        }
        if (args.type === "aws:verifiedpermissions/policy:Policy") {
          const policyId = `SP-${args.name}`;
          return { id: `${policyId},PSmockStore01`, state: { ...args.inputs, policyId } };
        }
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call: (args) => args.inputs,
    },
    "project",
    "stack",
    false,
  );
  // Record dependencies too (newResource does not see them).
  recordRegistrations((r) => records.push({ type: r.type, name: r.name, urn: r.urn, inputs: r.inputs as Record<string, any>, dependencies: r.dependencies }));

  const { ToolAuthorization } = await import("../../components/aws/verified-permissions");
  const c = new ToolAuthorization("ai-pr-reviewer-prod-tools", { bundle, tags: { "ai-assistant": "pr-reviewer", "ai-environment": "prod" } });
  outputs = { policyStoreId: await resolve(c.policyStoreId), policyStoreArn: await resolve(c.policyStoreArn), policyIds: await resolve(c.policyIds) };
  await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> }).waitForRPCs();
});

const ofType = (t: string) => records.filter((r) => r.type === t);

test("one component with one store, one schema and one policy per generated policy", () => {
  expect(ofType("assistant-identities:aws:ToolAuthorization").map((r) => r.name)).toEqual(["ai-pr-reviewer-prod-tools"]);
  expect(ofType("aws:verifiedpermissions/policyStore:PolicyStore")).toHaveLength(1);
  expect(ofType("aws:verifiedpermissions/schema:Schema")).toHaveLength(1);
  expect(ofType("aws:verifiedpermissions/policy:Policy").map((r) => r.name)).toEqual(bundle.policies.map((p) => `ai-pr-reviewer-prod-tools-${p.id}`));
  expect(records).toHaveLength(3 + bundle.policies.length);
});

test("every child is parented to the component", () => {
  for (const r of records.filter((x) => x.type.startsWith("aws:"))) {
    expect(r.urn).toContain(`::assistant-identities:aws:ToolAuthorization$${r.type}::${r.name}`);
  }
});

test("the policy store: STRICT validation, description and tags, exactly", () => {
  const [store] = ofType("aws:verifiedpermissions/policyStore:PolicyStore");
  expect(store.name).toBe("ai-pr-reviewer-prod-tools-policy-store");
  expect(store.inputs).toEqual({
    validationSettings: { mode: "STRICT" },
    description: "Tool-call authorization for assistant pr-reviewer",
    tags: { "ai-assistant": "pr-reviewer", "ai-environment": "prod" },
  });
  expect(lintPolicyStore(store.inputs)).toEqual([]);
});

test("the schema: the generated Cedar JSON schema in the store, exactly", () => {
  const [schema] = ofType("aws:verifiedpermissions/schema:Schema");
  expect(schema.name).toBe("ai-pr-reviewer-prod-tools-schema");
  expect(schema.inputs).toEqual({ policyStoreId: "PSmockStore01", definition: { value: JSON.stringify(bundle.schema) } });
  expect(Object.keys(JSON.parse(schema.inputs.definition.value))).toEqual(["AssistantTools"]);
});

test("each policy: its static statement and description in the store, exactly, created after the schema", () => {
  const [schema] = ofType("aws:verifiedpermissions/schema:Schema");
  const pols = ofType("aws:verifiedpermissions/policy:Policy");
  pols.forEach((r, i) => {
    const p = bundle.policies[i];
    expect(r.inputs).toEqual({ policyStoreId: "PSmockStore01", definition: { static: { statement: p.statement, description: p.description } } });
    expect(r.dependencies).toContain(schema.urn);
    expect(lintVerifiedPermissionsPolicy(r.inputs)).toEqual([]);
  });
  // A sample, spelled out: the expiry forbid.
  const expired = pols.find((r) => r.name.endsWith("-expired"))!;
  expect(expired.inputs.definition.static).toEqual({
    statement: 'forbid (\n  principal == AssistantTools::Assistant::"pr-reviewer",\n  action,\n  resource\n)\nwhen { context.now >= 1798761600 };',
    description: "pr-reviewer expired: access ended at 2027-01-01T00:00:00Z",
  });
});

test("outputs: the store id and ARN, and generated id → store policy id", () => {
  expect(outputs.policyStoreId).toBe("PSmockStore01");
  expect(outputs.policyStoreArn).toBe("arn:aws:verifiedpermissions::111122223333:policy-store/PSmockStore01");
  expect(outputs.policyIds).toEqual(Object.fromEntries(bundle.policies.map((p) => [p.id, `SP-ai-pr-reviewer-prod-tools-${p.id}`])));
});
