/** What authorize() needs from a decision engine (local cedar-wasm or Amazon Verified Permissions). */
import type { CedarRequest } from "./request";

export interface EngineAnswer {
  decision: "allow" | "deny";
  /** Determining policies, by the ids of the generated bundle (core/cedar/policies.ts). */
  policyIds: string[];
  /** Evaluation or request-validation errors (any error means the call is denied). */
  errors: string[];
}

export interface DecisionEngine {
  /** Recorded in every decision event. */
  readonly name: string;
  decide(request: CedarRequest): EngineAnswer | Promise<EngineAnswer>;
}
