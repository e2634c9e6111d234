/** The generated policies validate (strict) against the generated schema, with the real Cedar validator. */
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import fc from "fast-check";
import { cedarSchema, compileToolPolicies, createAuthorizer, localCedarEngine, staticPolicySet, validateBundle } from "../../../core/cedar";
import { cedarPrefixPattern, cedarString } from "../../../core/cedar/model";
import { AssistantTools, type ToolAssistant } from "../../../core/spec/tools";
import { DATA_ANALYST, PR_REVIEWER } from "./examples";

const strict = (schema: unknown, policies: Record<string, string>) =>
  cedar.validate({ schema: schema as cedar.Schema, policies: { staticPolicies: policies }, validationSettings: { mode: "strict" } });

describe("Cedar schema", () => {
  test("parses as a Cedar JSON schema", () => {
    expect(cedar.checkParseSchema(cedarSchema() as cedar.Schema)).toEqual({ type: "success" });
  });
  test("declares every catalogue action for the Assistant principal with the common context", () => {
    const ns = cedarSchema().AssistantTools;
    expect(Object.keys(ns.actions).sort()).toEqual(
      ["db:query", "github:comment", "github:create-pull-request", "github:push", "github:read", "http:call", "s3:read", "s3:write", "secret:read"],
    );
    for (const a of Object.values(ns.actions)) {
      expect(a.appliesTo.principalTypes).toEqual(["Assistant"]);
      expect(Object.keys(a.appliesTo.context.attributes)).toEqual(expect.arrayContaining(["now", "sessionAgeSeconds", "priorActions", "taskId", "approval"]));
    }
    expect(ns.actions["db:query"].appliesTo.context.attributes.readOnly).toEqual({ type: "Boolean" });
    expect(ns.actions["http:call"].appliesTo.context.attributes.method).toEqual({ type: "String" });
  });
});

describe.each([
  ["pr-reviewer", PR_REVIEWER],
  ["data-analyst", DATA_ANALYST],
  ["pr-reviewer revoked", { ...PR_REVIEWER, revoked: true }],
] as const)("generated policies of %s", (_n, a) => {
  const bundle = compileToolPolicies(a as ToolAssistant);
  test("validate in strict mode against the generated schema with no errors or warnings", () => {
    const answer = strict(bundle.schema, staticPolicySet(bundle));
    expect(answer).toEqual({ type: "success", validationErrors: [], validationWarnings: [], otherWarnings: [] });
    expect(validateBundle(bundle)).toEqual([]);
  });
  test("are one Cedar policy each, with unique ids and descriptions within the Verified Permissions limit", () => {
    const ids = bundle.policies.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of bundle.policies) {
      const parts = cedar.policySetTextToParts(p.statement);
      expect(parts).toMatchObject({ type: "success", policy_templates: [] });
      expect((parts as { policies: string[] }).policies).toHaveLength(1);
      expect(p.description.length).toBeLessThanOrEqual(150);
      expect(p.id).toMatch(/^[a-z0-9-]{1,64}$/);
    }
  });
  test("every permit names this principal and one action", () => {
    for (const p of bundle.policies.filter((x) => x.effect === "permit")) {
      const j = cedar.policyToJson(p.statement);
      expect(j.type).toBe("success");
      const json = (j as { json: cedar.PolicyJson }).json;
      expect(json.principal).toEqual({ op: "==", entity: { type: "AssistantTools::Assistant", id: a.name } });
      expect(json.action.op).toBe("==");
    }
  });
});

describe("the validation is not vacuous", () => {
  const bundle = compileToolPolicies(PR_REVIEWER);
  test("a policy reading an undeclared context attribute fails strict validation", () => {
    const policies = { ...staticPolicySet(bundle), bad: `permit (principal == AssistantTools::Assistant::"pr-reviewer", action == AssistantTools::Action::"github:read", resource) when { context.ticket == "x" };` };
    const answer = strict(bundle.schema, policies);
    expect(answer.type).toBe("success");
    expect((answer as { validationErrors: { policyId: string }[] }).validationErrors.map((e) => e.policyId)).toEqual(["bad"]);
  });
  test("a policy comparing an S3 key on a repository fails strict validation", () => {
    const policies = { bad: `permit (principal == AssistantTools::Assistant::"pr-reviewer", action == AssistantTools::Action::"github:read", resource) when { resource.key like "x*" };` };
    expect((strict(bundle.schema, policies) as { validationErrors: unknown[] }).validationErrors.length).toBeGreaterThan(0);
  });
  test("localCedarEngine refuses a bundle that does not validate", () => {
    const broken = { ...bundle, policies: [...bundle.policies, { id: "bad", effect: "permit" as const, statement: `permit (principal, action == AssistantTools::Action::"nope", resource);`, description: "bad" }] };
    expect(() => localCedarEngine(broken)).toThrow(/do not validate/);
  });
});

describe("literals survive quoting (property tests against the engine)", () => {
  test("cedarString round-trips any string through the Cedar parser", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), (s) => {
        const text = `permit (principal, action, resource) when { context.x == ${cedarString(s)} };`;
        const j = cedar.policyToJson(text);
        expect(j.type).toBe("success");
        const body = (j as { json: cedar.PolicyJson }).json.conditions[0].body as { "==": { right: { Value: string } } };
        expect(body["=="].right.Value).toBe(s);
      }),
      { numRuns: 300 },
    );
  });

  test("an S3 prefix allows exactly the keys that start with it", () => {
    const seg = fc.stringMatching(/^[a-z0-9._-]{1,6}$/).filter((s) => s !== "." && s !== "..");
    const prefixArb = fc.array(seg, { minLength: 1, maxLength: 3 }).map((xs) => `${xs.join("/")}/`);
    fc.assert(
      fc.property(prefixArb, fc.array(seg, { minLength: 1, maxLength: 4 }), fc.boolean(), (prefix, keySegs, under) => {
        const key = under ? `${prefix}${keySegs.join("/")}` : keySegs.join("/");
        const a: ToolAssistant = {
          name: "prop-bot",
          environment: "dev",
          expires: "2030-01-01",
          revoked: false,
          tools: AssistantTools.parse({ tools: [{ action: "s3:read", target: { bucket: "acme-bucket", prefix }, requiresTaskId: false }] }),
        };
        const bundle = compileToolPolicies(a);
        const res = createAuthorizer({ engine: localCedarEngine(bundle), clock: () => new Date("2026-01-01T00:00:00Z") }).authorizeSync!({
          assistant: "prop-bot",
          action: "s3:read",
          target: { bucket: "acme-bucket", key },
          sessionAgeSeconds: 1,
        });
        expect(res.decision).toBe(key.startsWith(prefix) ? "allow" : "deny");
      }),
      { numRuns: 150 },
    );
  });

  test("a like pattern escapes '*' so a literal star is not a wildcard", () => {
    const text = `permit (principal, action, resource) when { context.k like ${cedarPrefixPattern("a*b/")} };`;
    const j = cedar.policyToJson(text) as { type: string; json: cedar.PolicyJson };
    const pattern = (j.json.conditions[0].body as { like: { pattern: unknown[] } }).like.pattern;
    expect(pattern).toEqual([{ Literal: "a" }, { Literal: "*" }, { Literal: "b" }, { Literal: "/" }, "Wildcard"]);
  });
});
