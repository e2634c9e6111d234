/** Small builders for IAM-document tests. */
import { parsePolicyDocument, type PolicyDocument } from "../../core/iam/document";

/** A parsed (normalised, frozen) document of these statements; throws if it does not parse. */
export function parsedDoc(...Statement: object[]): PolicyDocument {
  const r = parsePolicyDocument({ Version: "2012-10-17", Statement });
  if (!r.ok) throw new Error(r.error);
  return r.doc;
}

/** An Allow statement (Resource "*" unless given). */
export const allow = (Action: string | string[], Resource: string | string[] = "*") => ({ Effect: "Allow", Action, Resource });
