/**
 * The online decision engine: Amazon Verified Permissions `IsAuthorized` against the policy store
 * components/aws/verified-permissions.ts provisions. The AWS SDK is not a dependency of this
 * project: the gateway injects any client with an `isAuthorized(input)` call shaped like the API.
 *
 * With @aws-sdk/client-verifiedpermissions (v3), the aggregated client already fits:
 *
 * ```ts
 * import { VerifiedPermissions } from "@aws-sdk/client-verifiedpermissions";
 * const engine = verifiedPermissionsEngine({
 *   client: new VerifiedPermissions({ region: "eu-west-1" }),   // credentials: the gateway's own role
 *   policyStoreId: process.env.TOOL_POLICY_STORE_ID!,             // stack output toolPolicyStoreId
 *   policyIds: JSON.parse(process.env.TOOL_POLICY_IDS!),          // stack output: generated id → AVP policy id
 * });
 * ```
 *
 * (With the bare `VerifiedPermissionsClient`, pass `{ isAuthorized: (i) => c.send(new IsAuthorizedCommand(i)) }`.)
 * The gateway's role needs `verifiedpermissions:IsAuthorized` on the policy store ARN, nothing else.
 */
import type { CedarRequest, CedarValue } from "./request";
import type { DecisionEngine, EngineAnswer } from "./engine";

export interface AvpEntityIdentifier {
  entityType: string;
  entityId: string;
}

export type AvpAttributeValue =
  | { boolean: boolean }
  | { long: number }
  | { string: string }
  | { set: AvpAttributeValue[] }
  | { record: Record<string, AvpAttributeValue> }
  | { entityIdentifier: AvpEntityIdentifier };

/** The subset of the IsAuthorized request this library sends. */
export interface AvpIsAuthorizedInput {
  policyStoreId: string;
  principal: AvpEntityIdentifier;
  action: { actionType: string; actionId: string };
  resource: AvpEntityIdentifier;
  context: { contextMap: Record<string, AvpAttributeValue> };
  entities: { entityList: { identifier: AvpEntityIdentifier; attributes: Record<string, AvpAttributeValue>; parents: AvpEntityIdentifier[] }[] };
}

/** The subset of the IsAuthorized response this library reads. */
export interface AvpIsAuthorizedOutput {
  decision?: string;
  determiningPolicies?: { policyId?: string }[];
  errors?: { errorDescription?: string }[];
}

export interface VerifiedPermissionsClient {
  isAuthorized(input: AvpIsAuthorizedInput): Promise<AvpIsAuthorizedOutput>;
}

/** A Cedar JSON value (as cedar-wasm takes it) as a Verified Permissions AttributeValue. */
export function toAttributeValue(v: CedarValue): AvpAttributeValue {
  if (typeof v === "boolean") return { boolean: v };
  if (typeof v === "number") {
    if (!Number.isSafeInteger(v)) throw new Error(`Cedar Long must be a whole number; got ${v}`);
    return { long: v };
  }
  if (typeof v === "string") return { string: v };
  if (Array.isArray(v)) return { set: v.map(toAttributeValue) };
  if ("__entity" in v && typeof v.__entity === "object") {
    const e = v.__entity as { type: string; id: string };
    return { entityIdentifier: { entityType: e.type, entityId: e.id } };
  }
  const rec = v as Record<string, CedarValue>;
  return { record: Object.fromEntries(Object.entries(rec).map(([k, x]) => [k, toAttributeValue(x)])) };
}

/** The IsAuthorized input for a Cedar request. */
export function toIsAuthorizedInput(policyStoreId: string, r: CedarRequest): AvpIsAuthorizedInput {
  const ident = (u: { type: string; id: string }): AvpEntityIdentifier => ({ entityType: u.type, entityId: u.id });
  return {
    policyStoreId,
    principal: ident(r.principal),
    action: { actionType: r.action.type, actionId: r.action.id },
    resource: ident(r.resource),
    context: { contextMap: Object.fromEntries(Object.entries(r.context).map(([k, v]) => [k, toAttributeValue(v)])) },
    entities: {
      entityList: r.entities.map((e) => ({
        identifier: ident(e.uid),
        attributes: Object.fromEntries(Object.entries(e.attrs).map(([k, v]) => [k, toAttributeValue(v)])),
        parents: e.parents.map(ident),
      })),
    },
  };
}

export interface VerifiedPermissionsEngineOptions {
  client: VerifiedPermissionsClient;
  policyStoreId: string;
  /**
   * Generated policy id → Verified Permissions policy id (the component's `policyIds` output), so
   * determining policies come back under the generated ids and carry their reasons.
   */
  policyIds?: Record<string, string>;
}

export function verifiedPermissionsEngine(opts: VerifiedPermissionsEngineOptions): DecisionEngine {
  const back = new Map(Object.entries(opts.policyIds ?? {}).map(([ours, avp]) => [avp, ours]));
  return {
    name: "verified-permissions",
    async decide(r: CedarRequest): Promise<EngineAnswer> {
      const out = await opts.client.isAuthorized(toIsAuthorizedInput(opts.policyStoreId, r));
      const policyIds = (out.determiningPolicies ?? [])
        .map((p) => p.policyId)
        .filter((x): x is string => typeof x === "string")
        .map((id) => back.get(id) ?? id)
        .sort();
      const errors = (out.errors ?? []).map((e) => e.errorDescription ?? "unspecified Verified Permissions evaluation error");
      // Anything but an explicit ALLOW is a deny.
      return { decision: out.decision === "ALLOW" ? "allow" : "deny", policyIds, errors };
    },
  };
}
