/**
 * ISSUER_URL_PATTERN (core/oidc/issuer.ts): the one issuer-URL shape read by the spec's OIDC-style
 * sources and by the GCP platform's existingProviders keys. A host must be a DNS name (labels of
 * 1-63 lower-case letters, digits and inner hyphens); `https://-` and `https://..` used to pass.
 */
import { ISSUER_URL_PATTERN } from "../../../core/oidc/issuer";
import { OidcSource } from "../../../core/spec/schema";
import { GcpPlatform } from "../../../core/spec/gcp";

const LABEL_63 = "a".repeat(63);
const LABEL_64 = "a".repeat(64);

const ACCEPTED = [
  "https://token.actions.githubusercontent.com",
  "https://gitlab.com",
  "https://a",
  "https://10.0.0.1",
  "https://oidc.eks.eu-west-1.amazonaws.com/id/AB12",
  "https://idp-1.acme.example:8443/realms/agents",
  `https://${LABEL_63}.example`,
  "https://x--y.example",
];

const REFUSED = [
  "https://-",
  "https://..",
  "https://.",
  "https://a..b",
  "https://.example",
  "https://example.",
  "https://-idp.example",
  "https://idp-.example",
  "https://idp.-acme.example",
  "https://idp_1.example",
  `https://${LABEL_64}.example`,
  "https://idp.example:",
  "https://user@idp.example",
  "https://idp.example?x=1",
  "https://idp.example#f",
  "https://idp.example/*",
  "https://IDP.example",
  "http://idp.example",
];

test("the pattern accepts DNS host names with an optional port and path, and refuses hosts that are no DNS name", () => {
  expect(ACCEPTED.map((u) => [u, ISSUER_URL_PATTERN.test(u)])).toEqual(ACCEPTED.map((u) => [u, true]));
  expect(REFUSED.map((u) => [u, ISSUER_URL_PATTERN.test(u)])).toEqual(REFUSED.map((u) => [u, false]));
});

test("an OIDC source with a host that is no DNS name is refused at issuer with the issuer message", () => {
  const base = { kind: "oidc", subject: "agent-1", audience: "sts.amazonaws.com" };
  for (const issuer of ["https://-", "https://..", "https://a..b", "https://idp-.example"]) {
    const r = OidcSource.safeParse({ ...base, issuer });
    expect(r.success ? [] : r.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["issuer", "expected an https:// issuer URL with no query, fragment or trailing wildcard (e.g. https://token.actions.githubusercontent.com)"],
    ]);
  }
  expect(OidcSource.safeParse({ ...base, issuer: "https://idp-1.acme.example" }).success).toBe(true);
});

test("a GCP existing provider keyed by a host that is no DNS name is refused at its key", () => {
  const platform = (issuer: string) => ({
    projectId: "acme-agents",
    projectNumber: "123456789012",
    existingProviders: { [issuer]: { providerId: "github", attributeCondition: "assertion.repository == 'acme/app'" } },
  });
  const r = GcpPlatform.safeParse(platform("https://a..b"));
  expect(r.success ? [] : r.error.issues.map((i) => [i.path.join("."), i.code])).toEqual([["existingProviders.https://a..b", "invalid_key"]]);
  expect(GcpPlatform.safeParse(platform("https://idp.acme.example")).success).toBe(true);
});
