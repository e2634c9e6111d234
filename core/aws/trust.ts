/**
 * The trust policy of an assistant role: AssumeRoleWithWebIdentity only, from one OIDC provider,
 * StringEquals on `<issuer>:aud` and `<issuer>:sub` (StringLike only for a wildcard the spec
 * allowed explicitly), plus the STS keys the spec pins, and the assistant's expiry. Built from
 * known inputs only, so it is never unknown at preview.
 */
import type { Federation } from "../oidc/subjects";
import { doc, type AwsScope, type IamDocument } from "./types";

export function oidcProviderArn(scope: Pick<AwsScope, "partition" | "accountId">, issuerHost: string): string {
  return `arn:${scope.partition}:iam::${scope.accountId}:oidc-provider/${issuerHost}`;
}

export function expiryInstant(expires: string): string {
  return `${expires}T00:00:00Z`;
}

export function trustPolicy(fed: Federation, providerArn: string, expires: string): IamDocument {
  const h = fed.issuerHost;
  const exact: Record<string, string> = { [`${h}:aud`]: fed.audience };
  const like: Record<string, string> = {};
  if (fed.subjectIsPattern) like[`${h}:sub`] = fed.subject;
  else exact[`${h}:sub`] = fed.subject;
  for (const [claim, value] of Object.entries(fed.extraClaims)) exact[`${h}:${claim}`] = value;
  const Condition: Record<string, Record<string, string>> = { StringEquals: exact };
  if (Object.keys(like).length) Condition.StringLike = like;
  Condition.DateLessThan = { "aws:CurrentTime": expiryInstant(expires) };
  return doc([
    {
      Sid: "AssumeFromPinnedWorkload",
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: ["sts:AssumeRoleWithWebIdentity"],
      Condition,
    },
  ]);
}
