/**
 * The local decision engine: the real Cedar engine (@cedar-policy/cedar-wasm) evaluating the same
 * generated schema and policies that Verified Permissions holds. For offline agents, tests and the
 * benchmark. Policies are validated (strict) against the schema when the engine is built, then
 * pre-parsed once; each decision validates the request against the schema.
 */
import { createHash } from "crypto";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";
import { staticPolicySet, type CedarBundle } from "./policies";
import type { CedarRequest } from "./request";
import type { DecisionEngine, EngineAnswer } from "./engine";

function messages(errors: { message: string; help?: string | null }[]): string[] {
  return errors.map((e) => (e.help ? `${e.message} (${e.help})` : e.message));
}

/** Strict validation of the bundle's policies against its schema: [] when valid. */
export function validateBundle(bundle: CedarBundle): string[] {
  const answer = cedar.validate({
    schema: bundle.schema as cedar.Schema,
    policies: { staticPolicies: staticPolicySet(bundle) },
    validationSettings: { mode: "strict" },
  });
  if (answer.type === "failure") return messages(answer.errors);
  return [
    ...answer.validationErrors.map((e) => `${e.policyId}: ${e.error.message}`),
    ...answer.validationWarnings.map((e) => `${e.policyId} (warning): ${e.error.message}`),
  ];
}

export interface LocalCedarEngine extends DecisionEngine {
  readonly name: "cedar-wasm";
  /** The same decision, synchronously (cedar-wasm is synchronous). */
  decideSync(request: CedarRequest): EngineAnswer;
}

/**
 * Build a local engine for one bundle. Throws when the policies do not validate against the
 * schema (a gateway must not run a policy set Verified Permissions would refuse in STRICT mode).
 */
export function localCedarEngine(bundle: CedarBundle, options: { validateRequest?: boolean } = {}): LocalCedarEngine {
  const problems = validateBundle(bundle);
  if (problems.length) throw new Error(`generated Cedar policies do not validate against the schema: ${problems.join("; ")}`);
  const policies = staticPolicySet(bundle);
  const digest = createHash("sha256").update(JSON.stringify([bundle.schema, policies])).digest("hex").slice(0, 16);
  const policySetId = `tools-${digest}`;
  const schemaName = `tools-schema-${digest}`;
  const ps = cedar.preparsePolicySet(policySetId, { staticPolicies: policies });
  if (ps.type === "failure") throw new Error(`cedar-wasm could not parse the policies: ${messages(ps.errors).join("; ")}`);
  const sc = cedar.preparseSchema(schemaName, bundle.schema as cedar.Schema);
  if (sc.type === "failure") throw new Error(`cedar-wasm could not parse the schema: ${messages(sc.errors).join("; ")}`);
  const validateRequest = options.validateRequest ?? true;

  const decideSync = (request: CedarRequest): EngineAnswer => {
    const answer = cedar.statefulIsAuthorized({
      principal: request.principal,
      action: request.action,
      resource: request.resource,
      context: request.context as cedar.Context,
      entities: request.entities as cedar.Entities,
      preparsedPolicySetId: policySetId,
      preparsedSchemaName: schemaName,
      validateRequest,
    });
    if (answer.type === "failure") return { decision: "deny", policyIds: [], errors: messages(answer.errors) };
    const { decision, diagnostics } = answer.response;
    return {
      decision,
      policyIds: [...diagnostics.reason].sort(),
      errors: diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`),
    };
  };
  return { name: "cedar-wasm", decideSync, decide: async (r) => decideSync(r) };
}
