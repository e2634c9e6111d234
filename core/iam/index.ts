/** core/iam: parse IAM documents, expand actions, and judge identity and trust policies. Pure; no @pulumi import. */
export * from "./document";
export * from "./actions";
export * from "./escalation";
export * from "./finding";
export * from "./identity";
export * from "./trust";
export * from "./privilege";
