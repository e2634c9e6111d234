/**
 * The shape of an OIDC issuer URL the toolkit accepts: `https://`, a DNS host name in lower case
 * (labels of 1-63 letters, digits and inner hyphens, as RFC 1123 allows; an IPv4 literal is such a
 * name too), an optional port, an optional path of URL-safe characters; no query, fragment, user
 * info or wildcard. The spec's AWS/OIDC sources (core/spec/schema.ts) and the GCP platform's
 * existing providers (core/spec/gcp.ts) read this one pattern. Its own module, importing nothing.
 *
 * A token's `iss` claim is compared with it character for character, and AWS and GCP fetch
 * `ISSUER/.well-known/openid-configuration` from it: a host such as `-`, `..` or `a..b` is no
 * host at all, and refusing it at plan time beats a failed create at deploy time.
 */
const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";

export const ISSUER_URL_PATTERN = new RegExp(`^https://${LABEL}(?:\\.${LABEL})*(?::\\d+)?(?:/[A-Za-z0-9._~/-]*)?$`);
