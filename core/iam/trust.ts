/**
 * Trust-policy analysis: who can assume a role. Focus on web identity (OIDC) federation, where a
 * missing or broad `sub` lets any repository, project or service account on a shared issuer in.
 * Pure; no @pulumi import.
 *
 * Condition semantics used here (AWS): keys are case-insensitive; operators inside one statement
 * are ANDed, values inside one key are ORed. So an exact (StringEquals) `sub` pin in a statement
 * makes a StringLike pattern next to it moot, and that statement is not reported as wildcard-sub.
 * Pins through other claims (STS's GitHub `repository_id` keys) do not replace `sub`: they are
 * secondary and AWS itself now requires `sub` for GitHub.
 */
import { defaultServiceAccountNamespace } from "../oidc/default-account";
import { hasWildcard } from "./actions";
import { parsePolicyDocument, type PolicyDocument, type Statement } from "./document";
import { finding, type IamFinding } from "./finding";
import { invalidDocument } from "./identity";
import { statementCoversAction } from "./privilege";

export interface TrustAnalysisOptions {
  /**
   * The role can write (deploy, push, change infrastructure). Then a subject wildcard over
   * branches, tags, environments or pull requests of one repository also counts as broad.
   */
  writing?: boolean;
}

export interface WebIdentityTrust {
  statementIndex: number;
  /** Provider host and path, the prefix of its condition keys (`<issuerHost>:sub`). */
  issuerHost: string;
  /** The Federated principal as written (an oidc-provider ARN, or a bare host such as cognito-identity.amazonaws.com). */
  federatedArn: string;
  /** `sub` values of the effective subject condition (exact operator first, as it decides when both exist). */
  subjects: string[];
  /** Operator of those subjects, e.g. "StringEquals", "StringLike", "ForAnyValue:StringLike"; undefined when no positive `sub` condition. */
  subjectOperator?: string;
  /** `aud` values from positive conditions. */
  audiences: string[];
}

const OIDC_PROVIDER_ARN = /^arn:aws(?:-[a-z0-9-]+)?:iam::[^:]*:oidc-provider\/(.+)$/i;
/** Web identity providers AWS names by host instead of an oidc-provider ARN. */
const BARE_WEB_IDENTITY = new Set(["cognito-identity.amazonaws.com", "accounts.google.com", "graph.facebook.com", "www.amazon.com"]);
/** Issuers whose pin is `aud` (the identity pool), not `sub`. */
const AUD_PINNED = new Set(["cognito-identity.amazonaws.com"]);

/** The issuer host of a Federated principal, or undefined for SAML and anything else. */
export function webIdentityIssuerHost(federated: string): string | undefined {
  const m = OIDC_PROVIDER_ARN.exec(federated.trim());
  if (m) return m[1];
  const t = federated.trim().toLowerCase();
  return BARE_WEB_IDENTITY.has(t) ? t : undefined;
}

interface ParsedOperator {
  op: string;
  setOperator?: "ForAnyValue" | "ForAllValues";
  base: string;
  ifExists: boolean;
}

export function parseOperator(op: string): ParsedOperator {
  const m = /^(ForAnyValue|ForAllValues):(.*)$/i.exec(op);
  const setOperator = m ? ((m[1].toLowerCase() === "foranyvalue" ? "ForAnyValue" : "ForAllValues") as ParsedOperator["setOperator"]) : undefined;
  let base = m ? m[2] : op;
  const ifExists = /IfExists$/i.test(base);
  if (ifExists) base = base.slice(0, -"IfExists".length);
  return { op, setOperator, base, ifExists };
}

const EXACT_OPS = new Set(["stringequals", "stringequalsignorecase"]);
const LIKE_OPS = new Set(["stringlike"]);
const isPositive = (p: ParsedOperator) => EXACT_OPS.has(p.base.toLowerCase()) || LIKE_OPS.has(p.base.toLowerCase());
const isExact = (p: ParsedOperator) => EXACT_OPS.has(p.base.toLowerCase());

interface KeyCondition {
  operator: ParsedOperator;
  key: string;
  values: string[];
}

/** Every (operator, key) in a statement whose key equals `key`, case-insensitively. */
function conditionsOn(s: Statement, key: string): KeyCondition[] {
  const out: KeyCondition[] = [];
  const want = key.toLowerCase();
  for (const [op, block] of Object.entries(s.Condition ?? {})) {
    for (const [k, values] of Object.entries(block)) if (k.toLowerCase() === want) out.push({ operator: parseOperator(op), key: k, values });
  }
  return out;
}

/** Claim names (after the issuer prefix) that carry one value in a token. `amr` is multi-valued. */
const SINGLE_VALUED_CLAIMS = new Set([
  "sub", "aud", "azp", "oaud", "repository", "repository_id", "repository_owner", "repository_owner_id",
  "environment", "ref", "ref_type", "job_workflow_ref", "workflow_ref", "actor", "actor_id", "enterprise_id", "event_name",
]);
const SINGLE_VALUED_GLOBAL = new Set([
  "aws:principalorgid", "aws:principalaccount", "aws:principalarn", "aws:sourceaccount", "aws:sourcearn", "aws:sourceidentity",
  "aws:sourceowner", "aws:userid", "aws:username", "aws:requestedregion", "sts:externalid", "sts:rolesessionname", "saml:aud", "saml:sub",
]);

export function isSingleValuedKey(key: string): boolean {
  const k = key.toLowerCase();
  if (SINGLE_VALUED_GLOBAL.has(k)) return true;
  if (k.startsWith("aws:") || k.startsWith("sts:") || k.startsWith("saml:")) return false;
  const claim = k.slice(k.lastIndexOf(":") + 1);
  return k.includes(":") && SINGLE_VALUED_CLAIMS.has(claim);
}

/**
 * Why a StringLike `sub` pattern reaches more than one workload, or undefined when it is pinned.
 * `writing`: a wildcard over one repository's branches/environments/PRs counts too.
 */
export function subjectPatternBreadth(pattern: string, writing = false): string | undefined {
  if (!hasWildcard(pattern)) return undefined;
  const star = pattern.search(/[*?]/);
  const prefix = pattern.slice(0, star);
  const contextOnly = (what: string) => (writing ? `matches any ${what}; a role that can write must pin one branch, tag or environment` : undefined);
  if (star === 0) return "matches every subject of the issuer";
  if (pattern.startsWith("repo:")) {
    // Classic `repo:OWNER/REPO:…` and immutable `repo:OWNER@ID/REPO@ID:…`.
    if (/^repo:[^/:]+\/[^/:]+:/.test(prefix)) return contextOnly(`branch, tag, environment or pull request of ${prefix.slice(5, prefix.indexOf(":", 5))}`);
    if (prefix.includes("/")) return `matches any repository of ${prefix.slice(5, prefix.indexOf("/"))}`;
    return "has a wildcard in the repository owner: matches repositories of other owners";
  }
  if (pattern.startsWith("project_path:")) {
    if (/^project_path:[^:]+\/[^:]+:/.test(prefix)) return contextOnly(`ref of ${prefix.slice(13, prefix.indexOf(":", 13))}`);
    return "matches any GitLab project under that path";
  }
  if (pattern.startsWith("system:serviceaccount:")) {
    return /^system:serviceaccount:[^:]+:/.test(prefix) ? "matches any service account in the namespace" : "matches service accounts in any namespace";
  }
  if (pattern.toLowerCase().startsWith("spiffe://")) return "matches more than one SPIFFE ID";
  // A GitHub custom template (`repository_owner_id:1:repository_id:2:context…`): pinned once a
  // repository claim is complete before the wildcard.
  if (/(^|:)(repository|repository_id|repo):[^:]+:/.test(prefix)) return contextOnly("context of that repository");
  return "is a pattern that may match more than one workload";
}

interface SubjectView {
  exact: KeyCondition[];
  like: KeyCondition[];
  positive: KeyCondition[];
}

/** Where value `j` of condition `c` sits in statement `i`: `Statement[i].Condition["Op"]["key"][j]`. */
function conditionValuePath(i: number, c: KeyCondition, j: number): string {
  return `Statement[${i}].Condition[${JSON.stringify(c.operator.op)}][${JSON.stringify(c.key)}][${j}]`;
}

function subjectView(s: Statement, host: string): SubjectView {
  const subs = conditionsOn(s, `${host}:sub`);
  const positive = subs.filter((c) => isPositive(c.operator));
  return { positive, exact: positive.filter((c) => isExact(c.operator)), like: positive.filter((c) => !isExact(c.operator)) };
}

function hasConditions(s: Statement): boolean {
  return s.Condition !== undefined && Object.values(s.Condition).some((b) => Object.keys(b).length > 0);
}

function federatedPrincipals(s: Statement): string[] {
  return s.Principal !== undefined && s.Principal !== "*" ? (s.Principal["Federated"] ?? []) : [];
}

function isWildcardPrincipal(s: Statement): boolean {
  if (s.Principal === "*") return true;
  return s.Principal !== undefined && (s.Principal["AWS"] ?? []).some((p) => p.trim() === "*");
}

function judgeFederated(s: Statement, i: number, k: number, federated: string, host: string, opts: TrustAnalysisOptions): IamFinding[] {
  const path = `Statement[${i}].Principal.Federated[${k}]`;
  if (!hasConditions(s)) {
    return [
      finding("unpinned-federated", {
        path,
        value: federated,
        key: `unpinned-federated::${host}`,
        message: `${path} must be pinned by conditions on ${host}:sub and :aud; got a Federated principal with no Condition (every identity the issuer signs can assume the role)`,
        fix: `Add StringEquals conditions on "${host}:aud" and "${host}:sub" naming the exact workload.`,
      }),
    ];
  }
  const out: IamFinding[] = [];
  const view = subjectView(s, host);
  if (view.positive.length === 0 && !AUD_PINNED.has(host)) {
    out.push(
      finding("missing-sub", {
        path,
        value: federated,
        key: `missing-sub::${host}`,
        message: `Statement[${i}] must pin ${host}:sub with StringEquals (or a narrow StringLike); got no positive sub condition, so any repository or workload of the issuer can assume the role`,
        fix: `Add "StringEquals": {"${host}:sub": "<exact subject>"} (GitHub: repo:OWNER/REPO:environment:ENV, or the immutable repo:OWNER@ID/REPO@ID:… form).`,
      }),
    );
  }
  if (view.exact.length === 0) {
    for (const c of view.like) {
      c.values.forEach((v, j) => {
        const why = subjectPatternBreadth(v, opts.writing ?? false);
        if (why === undefined) return;
        const p = conditionValuePath(i, c, j);
        out.push(
          finding("wildcard-sub", {
            path: p,
            value: v,
            key: `wildcard-sub::${v}`,
            message: `${p} must name one workload; got ${JSON.stringify(v)}, which ${why}`,
            fix: "Use StringEquals with the exact subject(s); keep StringLike only for a wildcard after a fully named repository/project, and not for roles that can write.",
          }),
        );
      });
    }
  }
  // A subject naming a namespace's `default` service account is one value but not one workload.
  for (const c of view.positive) {
    c.values.forEach((v, j) => {
      const namespace = defaultServiceAccountNamespace(v);
      if (namespace === undefined) return;
      const p = conditionValuePath(i, c, j);
      out.push(
        finding("default-service-account", {
          path: p,
          value: v,
          key: `default-service-account::${v}`,
          message: `${p} must name the workload's own service account; got ${JSON.stringify(v)}, the default service account of namespace ${JSON.stringify(namespace)}, which every pod there that names no service account runs as`,
          fix: `Create a service account for this workload in ${namespace}, run the workload as it (serviceAccountName), and trust that account's subject instead.`,
        }),
      );
    });
  }
  // A StringLike audience with a wildcard (`"*"`) admits tokens minted for any other audience: it does not pin.
  if (!conditionsOn(s, `${host}:aud`).some((c) => isPositive(c.operator) && (isExact(c.operator) || !c.values.some(hasWildcard)))) {
    out.push(
      finding("missing-aud", {
        path,
        value: federated,
        key: `missing-aud::${host}`,
        message: `Statement[${i}] must pin ${host}:aud; got no positive aud condition without a wildcard`,
        fix: `Add "StringEquals": {"${host}:aud": "sts.amazonaws.com"} (or the audience your workload requests).`,
      }),
    );
  }
  return out;
}

function setOperatorFindings(s: Statement, i: number): IamFinding[] {
  const out: IamFinding[] = [];
  for (const [op, block] of Object.entries(s.Condition ?? {})) {
    const parsed = parseOperator(op);
    if (!parsed.setOperator) continue;
    for (const key of Object.keys(block)) {
      if (!isSingleValuedKey(key)) continue;
      const path = `Statement[${i}].Condition[${JSON.stringify(op)}][${JSON.stringify(key)}]`;
      out.push(
        finding("set-operator-single-valued", {
          path,
          value: op,
          key: `set-operator-single-valued::${key}`,
          message: `${path} must not use ${parsed.setOperator} on the single-valued key ${key}; got ${op} (${parsed.setOperator === "ForAllValues" ? "it passes when the key is absent" : "it hides the intent and misbehaves with lists"})`,
          fix: `Use ${parsed.base}${parsed.ifExists ? "IfExists" : ""} without the set operator.`,
        }),
      );
    }
  }
  return out;
}

/**
 * Condition keys whose value a caller cannot choose: who it is (account, organisation, ARN, user id)
 * and where it calls from (network, VPC). A positive condition on one of them, or on the subject of
 * a web identity or SAML assertion (signed by its issuer), keeps Principal "*" from admitting every
 * AWS account. Everything else the caller sets itself (aws:SecureTransport, aws:RequestedRegion, tags
 * on its own principal or session, sts:RoleSessionName) or knows (sts:ExternalId is no secret).
 */
const CALLER_KEYS = new Set([
  "aws:principalaccount", "aws:principalorgid", "aws:principalorgpaths", "aws:principalarn", "aws:userid", "aws:username",
  "aws:sourceip", "aws:vpcsourceip", "aws:sourcevpc", "aws:sourcevpce", "saml:sub",
]);
const POSITIVE_OPS = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike", "ipaddress"]);

/**
 * Whether every value a condition on `key` accepts pins the caller: the part that names it (the whole
 * account, organisation, user name, network or subject; an ARN's account; an org path's organisation;
 * a user id's unique id) has no wildcard, and an address range is not the whole internet.
 */
function pinsCaller(key: string, op: string, values: readonly string[]): boolean {
  if (op === "ipaddress") return values.every((v) => !/\/0$/.test(v.trim()));
  // EXACT_OPS compare literally; the others read `*` and `?` as wildcards (ArnEquals too).
  if (EXACT_OPS.has(op)) return true;
  const part = (v: string) => (key === "aws:principalarn" ? (v.split(":")[4] ?? "*") : key === "aws:principalorgpaths" ? v.split("/")[0]! : key === "aws:userid" ? v.split(":")[0]! : v);
  return values.every((v) => !hasWildcard(part(v)));
}

/** Each (operator, key) of a statement that every caller must meet: a positive operator (POSITIVE_OPS), not IfExists or ForAllValues (both pass when the key is absent). `base` and `k` lowercased. */
function requiredConditions(s: Statement): Array<{ op: string; base: string; key: string; k: string; values: string[] }> {
  const out: Array<{ op: string; base: string; key: string; k: string; values: string[] }> = [];
  for (const [op, block] of Object.entries(s.Condition ?? {})) {
    const p = parseOperator(op);
    const base = p.base.toLowerCase();
    if (p.ifExists || p.setOperator === "ForAllValues" || !POSITIVE_OPS.has(base)) continue;
    for (const [key, values] of Object.entries(block)) out.push({ op, base, key, k: key.toLowerCase(), values });
  }
  return out;
}

/** The statement has a condition that only some callers can meet (see CALLER_KEYS, pinsCaller). */
function restrictsCaller(s: Statement): boolean {
  return requiredConditions(s).some(({ base, k, values }) => (CALLER_KEYS.has(k) || (!/^(aws|sts|saml):/.test(k) && k.endsWith(":sub"))) && pinsCaller(k, base, values));
}

function judgeTrustStatement(s: Statement, i: number, opts: TrustAnalysisOptions): IamFinding[] {
  if (s.Effect !== "Allow") return [];
  const out: IamFinding[] = [];
  if (isWildcardPrincipal(s) && !restrictsCaller(s)) {
    out.push(
      finding("permissive-principal", {
        path: `Statement[${i}].Principal`,
        value: s.Principal,
        key: "permissive-principal",
        message: hasConditions(s)
          ? `Statement[${i}] must name who may assume the role; got Principal ${JSON.stringify(s.Principal)} with conditions any AWS account can meet (${[...new Set(Object.values(s.Condition!).flatMap((b) => Object.keys(b)))].join(", ")}): none pins the caller's account, organisation, ARN, network or token subject`
          : `Statement[${i}] must name who may assume the role; got Principal ${JSON.stringify(s.Principal)} with no Condition`,
        fix: "Name the exact principal (account, role or OIDC provider) and pin it with conditions; remove the statement if another one already trusts the workload.",
      }),
    );
  }
  federatedPrincipals(s).forEach((f, k) => {
    const host = webIdentityIssuerHost(f);
    if (host !== undefined) out.push(...judgeFederated(s, i, k, f, host, opts));
  });
  out.push(...setOperatorFindings(s, i));
  return out;
}

/** Findings for a role trust policy (a parsed document or anything `parsePolicyDocument` accepts). */
export function analyzeTrustPolicy(input: PolicyDocument | unknown, opts: TrustAnalysisOptions = {}): IamFinding[] {
  return trustFindingsShared(input, opts).map((f) => ({ ...f }));
}

/**
 * `analyzeTrustPolicy` without the copies: the list the memo holds for this parsed document and
 * `writing`, frozen with each finding in it. The trust rule judges a trust both ways (does the
 * verdict depend on whether the role writes?) and then once more, for every role of a stack.
 */
export function trustFindingsShared(input: PolicyDocument | unknown, opts: TrustAnalysisOptions = {}): readonly IamFinding[] {
  const parsed = parsePolicyDocument(input);
  if (!parsed.ok) return Object.freeze([Object.freeze(invalidDocument(parsed.error, parsed.path))]);
  const slot = opts.writing ? 1 : 0;
  let memo = trustAnalyses.get(parsed.doc);
  if (!memo) trustAnalyses.set(parsed.doc, (memo = [undefined, undefined]));
  let findings = memo[slot];
  if (!findings) {
    const judged = parsed.doc.Statement.flatMap((s, i) => judgeTrustStatement(s, i, { writing: slot === 1 }));
    for (const f of judged) Object.freeze(f);
    findings = memo[slot] = Object.freeze(judged);
  }
  return findings;
}

/** Findings per parsed (frozen, cached) document: [not writing, writing]. */
const trustAnalyses = new WeakMap<object, [readonly IamFinding[] | undefined, readonly IamFinding[] | undefined]>();

/** The account of an AWS principal: a 12-digit account id or an IAM/STS ARN (`arn:aws:iam::123456789012:root`, `…:role/x`); undefined for "*" and anything else. */
export function principalAccount(principal: string): string | undefined {
  const p = principal.trim();
  if (/^\d{12}$/.test(p)) return p;
  return /^arn:aws(?:-[a-z0-9-]+)?:(?:iam|sts)::(\d{12}):/.exec(p)?.[1];
}

/**
 * The statement requires a known external ID: StringEquals (or StringLike without wildcards) on
 * sts:ExternalId. Not with IfExists or ForAllValues (both pass when the caller sends none);
 * ForAnyValue on this single-valued key acts as the plain operator (aws-iam-trust-pinned reports it).
 */
function pinsExternalId(s: Statement): boolean {
  return conditionsOn(s, "sts:ExternalId").some(
    (c) => isPositive(c.operator) && !c.operator.ifExists && c.operator.setOperator !== "ForAllValues" && (isExact(c.operator) || !c.values.some(hasWildcard)),
  );
}

export interface CrossAccountOptions {
  /** Accounts whose principals need no external ID: the role's own, the organisation's. */
  trustedAccounts?: Iterable<string>;
}

/**
 * Third-party trust (the confused deputy): an Allow statement that lets an AWS principal of another
 * account assume the role (sts:AssumeRole, also through NotAction) must require the external ID that
 * account issued for this customer (`sts:ExternalId`). A vendor that assumes roles in many customers'
 * accounts (a hosted coding assistant, a CI service) can otherwise be made to use this role on
 * another customer's behalf: the role ARN is no secret. Principals of `trustedAccounts`, Principal "*"
 * (the trust rule's business) and service or federated principals are not judged here.
 */
export function crossAccountTrustFindings(input: PolicyDocument | unknown, opts: CrossAccountOptions = {}): IamFinding[] {
  const parsed = parsePolicyDocument(input);
  if (!parsed.ok) return [invalidDocument(parsed.error, parsed.path)];
  const trusted = new Set(opts.trustedAccounts ?? []);
  const out: IamFinding[] = [];
  parsed.doc.Statement.forEach((s, i) => {
    if (s.Effect !== "Allow" || s.Principal === undefined) return;
    // Named principals, and for Principal "*" the accounts its conditions narrow it to.
    const named = s.Principal === "*" ? [] : (s.Principal["AWS"] ?? []).map((p, k) => ({ p, path: `Statement[${i}].Principal.AWS[${k}]` }));
    const candidates = isWildcardPrincipal(s) ? [...named, ...conditionedAccounts(s, i)] : named;
    // Most trusts name services or an OIDC provider only: those are passed before reading the actions.
    if (candidates.length === 0 || !statementCoversAction(s, "sts:AssumeRole") || pinsExternalId(s)) return;
    for (const { p, path } of candidates) {
      const account = principalAccount(p);
      if (account === undefined || trusted.has(account)) continue;
      out.push(
        finding("no-external-id", {
          path,
          value: p,
          key: `no-external-id::${account}`,
          message: `${path} must require the external ID account ${account} issued for you before it assumes the role; got ${p} with no StringEquals condition on sts:ExternalId`,
          fix: `Add "StringEquals": {"sts:ExternalId": "<the ID the third party gave you>"} to Statement[${i}]; if ${account} is your own organisation's account, list it in trustedAccounts.`,
        }),
      );
    }
  });
  return out;
}

/** The account ids and principal ARNs (no wildcard in the account) a Principal "*" statement is narrowed to by positive aws:PrincipalAccount / aws:PrincipalArn conditions, with their paths. */
function conditionedAccounts(s: Statement, i: number): Array<{ p: string; path: string }> {
  const out: Array<{ p: string; path: string }> = [];
  for (const { op, base, key, k, values } of requiredConditions(s)) {
    if (k !== "aws:principalaccount" && k !== "aws:principalarn") continue;
    values.forEach((v, j) => {
      if (pinsCaller(k, base, [v])) out.push({ p: v, path: `Statement[${i}].Condition[${JSON.stringify(op)}][${JSON.stringify(key)}][${j}]` });
    });
  }
  return out;
}

/** The web identity federations a trust policy allows, for the inventory and agreement checks. */
export function webIdentityTrusts(input: PolicyDocument | unknown): WebIdentityTrust[] {
  const parsed = parsePolicyDocument(input);
  if (!parsed.ok) return [];
  const out: WebIdentityTrust[] = [];
  parsed.doc.Statement.forEach((s, i) => {
    if (s.Effect !== "Allow") return;
    for (const federatedArn of federatedPrincipals(s)) {
      const issuerHost = webIdentityIssuerHost(federatedArn);
      if (issuerHost === undefined) continue;
      const view = subjectView(s, issuerHost);
      const chosen = view.exact[0] ?? view.like[0];
      const audiences = conditionsOn(s, `${issuerHost}:aud`)
        .filter((c) => isPositive(c.operator))
        .flatMap((c) => c.values);
      out.push({
        statementIndex: i,
        issuerHost,
        federatedArn,
        subjects: chosen ? [...chosen.values] : [],
        ...(chosen ? { subjectOperator: chosen.operator.op } : {}),
        audiences: [...new Set(audiences)],
      });
    }
  });
  return out;
}
