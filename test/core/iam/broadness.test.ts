/**
 * isBroadResource was rewritten for speed (colon positions instead of split/join, no memo): it must
 * judge every string exactly as the original formulation below, kept here as the reference.
 */
import fc from "fast-check";
import { isBroadResource } from "../../../core/iam";
import { hasWildcard, resourceArnPrefixes } from "../../../core/iam/actions";

function reference(resource: string): boolean {
  const r = resource.trim();
  if (/^[*?]+$/.test(r)) return true;
  const parts = r.split(":");
  if (parts[0].toLowerCase() === "arn" && parts.length < 6) return hasWildcard(parts[parts.length - 1]);
  if (parts.length < 6 || parts[0].toLowerCase() !== "arn") return hasWildcard(r) && /^[*?/:]+$/.test(r);
  const service = parts[2].toLowerCase();
  const rest = parts.slice(5).join(":");
  if (/^[*?/]+$/.test(rest)) return true;
  if (service === "s3" || hasWildcard(parts[2])) return false;
  const star = rest.search(/[*?]/);
  if (star >= 0 && resourceArnPrefixes(service).some((p) => p.length > star && p.startsWith(rest.slice(0, star)))) return true;
  const m = /^[A-Za-z0-9_.-]+[/:](.*)$/.exec(rest);
  return m !== null && /^[*?/:]+$/.test(m[1]);
}

const pieces = ["arn", "ARN", "aws", "aws-cn", "iam", "s3", "sns", "secretsmanager", "lambda", "ec2", "", "123456789012", "eu-west-1", "role", "role/", "role/app-*", "user/*", "secret", "function", "*", "?", "/", "//", ":", "ro?e/*", "role*", "a", "bucket/*", " "];

describe("isBroadResource", () => {
  test("agrees with the reference formulation on ARN-shaped and arbitrary strings", () => {
    const arnish = fc.tuple(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 9 }), fc.constantFrom("", "/", "-")).map(([xs, sep]) => xs.join(sep));
    const joined = fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 9 }).map((xs) => xs.join(":"));
    fc.assert(
      fc.property(fc.oneof(joined, arnish, fc.string({ unit: fc.constantFrom("a", ":", "*", "?", "/", " ", "r", "n") })), (s) => {
        expect(isBroadResource(s)).toBe(hasWildcard(s) && reference(s));
      }),
      { numRuns: 3000, seed: 42 },
    );
  });

  // Strings the random ones rarely reach, one per branch of the character-position reading: a `?` as
  // the only wildcard, an empty resource part, a service part of two characters that is not `s3`, a
  // wildcard in the service part, a leading colon, upper-case ARN and service, padding.
  test.each([
    "arn:aws:?",
    "arn:aws:iam::?",
    "arn:aws:*:*:*:",
    "arn:aws:s3x:::bucket/*",
    "arn:aws:S3:::bucket/*",
    "arn:aws:x3:eu-west-1:123456789012:*/*",
    "arn:aws:s4:eu-west-1:123456789012:thing/*",
    "arn:aws:x3:eu-west-1:123456789012:thing/*",
    "arn:aws-cn:s3:::bucket/*",
    "arn:aws:s?:eu-west-1:123456789012:thing/*",
    "arn:aws:s*:eu-west-1:123456789012:thing/*",
    "arn:aws:iam::123456789012:?",
    "arn:aws:iam::123456789012:*?/",
    "arn:aws:iam::123456789012:/?",
    "arn:aws:iam::123456789012:ro?e/*",
    "arn:aws:IAM::123456789012:role*",
    "arn:aws:iam::123456789012:role/?",
    ":arn:aws:iam::123456789012:role/*",
    "ARN:aws:iam::123456789012:role/*",
    "arn*",
    "arn:*",
    " arn:aws:iam::123456789012:role/* ",
    "arn:aws:ec2:eu-west-1:123456789012:instance/*",
    "arn:aws:sns:eu-west-1:123456789012:topic-?",
  ])("%s: as the reference formulation judges it", (s) => {
    expect(isBroadResource(s)).toBe(hasWildcard(s) && reference(s));
  });

  test.each([
    ["*", true],
    ["arn:aws:iam::123456789012:role/*", true],
    ["arn:aws:iam::123456789012:role*", true],
    ["arn:aws:iam::123456789012:role/app-*", false],
    ["arn:aws:s3:::bucket/*", false],
    ["arn:aws:s3:::*", true],
    ["arn:aws:iam::*", true],
    ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:*", true],
    ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:app-??????", false],
    ["arn:aws:sns:eu-west-1:123456789012:*", true],
    ["arn:aws:iam::123456789012:role/name", false],
    // Without a wildcard a pattern matches one ARN literally, whatever it looks like.
    ["arn:aws:s3:::/", false],
  ])("%s → %s", (r, broad) => {
    expect(isBroadResource(r)).toBe(broad);
  });
});
