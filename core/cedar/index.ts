/** Request-time authorization of tool calls: Cedar model, policy compiler, authorize(), lint. */
export { NAMESPACE, ENTITY_TYPE, cedarSchema, cedarSchemaText, type CedarSchemaJson } from "./model";
export { compileToolPolicies, staticPolicySet, expiryEpochSeconds, toolSlug, declaredTargetLabel, type CedarBundle, type CedarPolicy } from "./policies";
export { toCedarRequest, targetEntity, InvalidToolCall, type CedarRequest, type CallTarget, type ToolCallRequest } from "./request";
export * from "./authorize";
export { toIsAuthorizedInput, toAttributeValue, type VerifiedPermissionsEngineOptions } from "./avp";
export { lintPolicyStore, lintCedarPolicy, lintVerifiedPermissionsPolicy } from "./lint";
