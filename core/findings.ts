/**
 * A finding is what a pure check returns: what is wrong, where inside the checked value, the
 * offending value, and the fix. Rules add their id, level and standards when they report it.
 */
export interface Finding {
  /** "must …; got …": what is wrong, in one sentence. */
  message: string;
  /** Where inside the checked value, e.g. `Statement[1].Condition.StringLike["token.actions.githubusercontent.com:sub"]`. */
  path?: string;
  /** The offending value (never a secret). */
  value?: unknown;
  /** How to fix it, in one sentence. */
  fix: string;
  /** A short key that tells findings of one rule apart (cdk-nag style: `Action::s3:*`), for suppressions. */
  key?: string;
}

export type EnforcementLevel = "advisory" | "mandatory" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical";

/** A value that was not known when it was checked (a preview unknown, a secret that cannot be read). */
export class UnknownInput extends Error {
  constructor(public readonly what: string) {
    super(`${what} is not known yet`);
    this.name = "UnknownInput";
  }
}
