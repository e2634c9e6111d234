/** Plain AWS IAM JSON, as the toolkit writes it (always arrays; the analysis core reads any form). */
export type ConditionBlock = Record<string, Record<string, string | string[]>>;

export interface IamStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string[];
  NotAction?: string[];
  Resource?: string[];
  NotResource?: string[];
  Principal?: Record<string, string | string[]>;
  Condition?: ConditionBlock;
}

export interface IamDocument {
  Version: "2012-10-17";
  Statement: IamStatement[];
}

export function doc(statements: IamStatement[]): IamDocument {
  return { Version: "2012-10-17", Statement: statements };
}

/** Characters AWS counts against a policy quota: the JSON without whitespace. */
export function policySize(d: IamDocument): number {
  return JSON.stringify(d).length;
}

/** Where an assistant's AWS ARNs live. */
export interface AwsScope {
  partition: string;
  accountId: string;
  region: string;
}
