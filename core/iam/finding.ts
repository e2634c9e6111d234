/** The finding shape every core/iam analyser returns. */
import type { Finding, Severity } from "../findings";

export type IdentityCategory =
  | "wildcard-action"
  | "not-action-allow"
  | "not-resource-allow"
  | "service-wildcard-escalation"
  | "escalation-action"
  | "wildcard-resource-write"
  | "credential-exposure";

/** Categories only `judgeRawStatements` (the components' fail-closed escape hatch) reports. */
export type RawStatementCategory = "wildcard-resource" | "privileged-action" | "unknown-action";

export type TrustCategory =
  | "missing-sub"
  | "missing-aud"
  | "wildcard-sub"
  | "set-operator-single-valued"
  | "permissive-principal"
  | "unpinned-federated"
  | "default-service-account";

/** Categories of `crossAccountTrustFindings` (third-party trust, the confused deputy). */
export type CrossAccountCategory = "no-external-id";

export type IamCategory = IdentityCategory | RawStatementCategory | TrustCategory | CrossAccountCategory | "invalid-document";

export interface IamFinding extends Finding {
  category: IamCategory;
  severity: Severity;
  /** The statement carries a Condition; the finding is made on actions/resources/principals regardless. */
  conditioned?: boolean;
}

/** Categories in the order of how bad they are, for sorting and summaries. */
export const SEVERITY_BY_CATEGORY: Readonly<Record<IamCategory, Severity>> = {
  "wildcard-action": "critical",
  "not-action-allow": "critical",
  "not-resource-allow": "high",
  "service-wildcard-escalation": "critical",
  "escalation-action": "critical",
  "wildcard-resource-write": "medium",
  "credential-exposure": "high",
  "wildcard-resource": "high",
  "privileged-action": "critical",
  "unknown-action": "medium",
  "missing-sub": "critical",
  "missing-aud": "medium",
  "wildcard-sub": "critical",
  "set-operator-single-valued": "high",
  "permissive-principal": "critical",
  "unpinned-federated": "critical",
  "default-service-account": "high",
  "no-external-id": "high",
  "invalid-document": "high",
};

export function finding(category: IamCategory, f: Omit<IamFinding, "category" | "severity">): IamFinding {
  return { category, severity: SEVERITY_BY_CATEGORY[category], ...f };
}
