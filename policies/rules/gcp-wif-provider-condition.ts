/**
 * A GCP Workload Identity (OIDC) provider must carry an attribute condition that pins the workload's
 * repository or owner (GitHub repository_id / repository_owner_id / repository / repository_owner,
 * the `sub` prefix `repo:OWNER/…`; GitLab project/namespace ids or paths), on every branch of the
 * condition. The condition is parsed with a real CEL engine (@marcbachmann/cel-js) and its AST is
 * walked: `a && b` pins if either side pins, `a || b` only if both do, `!a` never does. Conditions
 * that pin only claims the workflow author controls (workflow, environment, ref, context, head_ref …)
 * are spoofable from any repository the issuer serves.
 */
import { parse } from "@marcbachmann/cel-js";
import { resourceRule } from "../rule";
import type { Finding } from "../../core/findings";
import { GITHUB_AUTHOR_CONTROLLED_CLAIMS } from "../../core/oidc/subjects";
import { stringMap } from "../documents";

interface Config {
  pinClaims: string[];
  requireImmutableIds: boolean;
  immutableIdClaims: string[];
}

const DEFAULT_PIN_CLAIMS = ["repository_id", "repository_owner_id", "repository", "repository_owner", "sub", "project_id", "namespace_id", "project_path", "namespace_path"];
const AUTHOR_CONTROLLED: ReadonlySet<string> = new Set([...GITHUB_AUTHOR_CONTROLLED_CLAIMS, "workflow", "head_ref"]);

type Node = { op: string; args: unknown };

const parseCache = new Map<string, { ast: Node } | { error: string }>();
function parseCel(s: string): { ast: Node } | { error: string } {
  let r = parseCache.get(s);
  if (!r) {
    try {
      r = { ast: parse(s).ast as unknown as Node };
    } catch (e) {
      r = { error: (e as Error).message.split("\n")[0] };
    }
    if (parseCache.size > 500) parseCache.clear();
    parseCache.set(s, r);
  }
  return r;
}

/** The token claim an expression reads (`assertion.x`, `assertion['x']`, or an attribute mapped to one). */
function claimOf(n: Node, mapping: Record<string, string>): string | undefined {
  const args = n.args as unknown[];
  if ((n.op === "." || n.op === "[]") && Array.isArray(args)) {
    const obj = args[0] as Node;
    const field = n.op === "." ? (args[1] as string) : (args[1] as Node).op === "value" ? String((args[1] as Node).args) : undefined;
    if (field === undefined || obj?.op !== "id") return undefined;
    if (obj.args === "assertion") return field;
    if (obj.args === "attribute" || obj.args === "google") {
      const m = mapping[`${obj.args}.${field}`];
      const hit = m && /^assertion\.([A-Za-z0-9_]+)$/.exec(m.trim());
      return hit ? hit[1] : undefined;
    }
  }
  return undefined;
}

function literal(n: Node): string | undefined {
  return n?.op === "value" && typeof n.args === "string" ? n.args : undefined;
}

/** Whether a literal for `claim` actually narrows the workload to one owner/repository. */
function narrows(claim: string, value: string, prefixOnly: boolean): boolean {
  if (value.includes("*")) return false;
  if (claim === "sub") {
    // repo:OWNER/… or repo:OWNER@ID/… (GitHub), project_path:GROUP/… (GitLab), system:serviceaccount:NS:NAME, spiffe://TD/…
    return /^repo:[^/:*]+\/.*/.test(value) || /^project_path:[^/:*]+\/.*/.test(value) || /^system:serviceaccount:[^:*]+:[^:*]+/.test(value) || /^spiffe:\/\/[^/]+\/.+/.test(value) || (!prefixOnly && value.length > 0 && !/^repo:[^/]*$/.test(value));
  }
  if (claim === "repository" || claim === "project_path") return prefixOnly ? /^[^/]+\//.test(value) : value.includes("/");
  // Any other claim (repository_owner, namespace_path, ids, …) narrows only when matched exactly.
  return !prefixOnly && value.length > 0;
}

interface Analysis {
  pins: boolean;
  claims: Set<string>;
  pinnedBy: Set<string>;
}

function analyse(root: Node, mapping: Record<string, string>, pinClaims: ReadonlySet<string>): Analysis {
  const claims = new Set<string>();
  const pinnedBy = new Set<string>();
  const atom = (claim: string | undefined, values: Array<string | undefined>, prefixOnly: boolean): boolean => {
    if (!claim) return false;
    claims.add(claim);
    if (!pinClaims.has(claim) || !values.length || values.some((v) => v === undefined || !narrows(claim, v, prefixOnly))) return false;
    pinnedBy.add(claim);
    return true;
  };
  const collect = (n: unknown): void => {
    if (!n || typeof n !== "object") return;
    if (Array.isArray(n)) return n.forEach(collect);
    const node = n as Node;
    const c = claimOf(node, mapping);
    if (c) claims.add(c);
    collect(node.args);
  };
  const pins = (n: Node): boolean => {
    const a = n.args as Node[];
    switch (n.op) {
      case "&&":
        return [pins(a[0]), pins(a[1])].some(Boolean);
      case "||":
        return [pins(a[0]), pins(a[1])].every(Boolean);
      case "?:":
        collect(a[0]);
        return [pins(a[1]), pins(a[2])].every(Boolean);
      case "==": {
        const l = claimOf(a[0], mapping);
        const r = claimOf(a[1], mapping);
        if (l) return atom(l, [literal(a[1])], false);
        if (r) return atom(r, [literal(a[0])], false);
        collect(a);
        return false;
      }
      case "in": {
        const c = claimOf(a[0], mapping);
        const list = a[1];
        if (c && list?.op === "list" && Array.isArray(list.args)) return atom(c, (list.args as Node[]).map(literal), false);
        collect(a);
        return false;
      }
      case "rcall": {
        const [method, recv, params] = n.args as [string, Node, Node[]];
        const c = claimOf(recv, mapping);
        if (c && method === "startsWith" && params?.length === 1) return atom(c, [literal(params[0])], true);
        collect([recv, params]);
        return false;
      }
      default:
        collect(n.args);
        return false;
    }
  };
  return { pins: pins(root), claims, pinnedBy };
}

export default resourceRule<Config>({
  id: "gcp-wif-provider-condition",
  title: "Ensure GCP Workload Identity providers pin the workload's repository or owner",
  description:
    "Flags OIDC Workload Identity pool providers without an attributeCondition, with one that does not parse, or with one " +
    "that does not pin the repository or owner on every branch (e.g. it pins only author-controlled claims such as ref, " +
    "environment or workflow).",
  rationale:
    "Without a condition that pins the repository, any repository on the issuer (all of GitHub.com) can mint tokens the pool " +
    "accepts; claims such as ref, environment or workflow are chosen by whoever writes the workflow, so pinning only them " +
    "stops no one",
  remediation:
    "Set attributeCondition to pin immutable ids, e.g. assertion.repository_owner_id == '1234' && assertion.repository_id == " +
    "'5678' (add environment or ref on top, never instead).",
  standards: { nhi: ["NHI6", "NHI4"], agentic: ["ASI03"], maestro: ["L4", "L7"], csf: ["PR.AA-03"] },
  enforcementLevel: "mandatory",
  severity: "critical",
  unknownDefault: "fail",
  configSchema: {
    properties: {
      pinClaims: {
        type: "array",
        items: { type: "string" },
        default: DEFAULT_PIN_CLAIMS,
        description: "Token claims that identify the workload's repository/owner (or project/namespace); one of them must be pinned on every branch.",
      },
      requireImmutableIds: {
        type: "boolean",
        default: false,
        description: "Also require the pin to use an immutable id claim (immutableIdClaims), not a renameable name.",
      },
      immutableIdClaims: {
        type: "array",
        items: { type: "string" },
        default: ["repository_id", "repository_owner_id", "project_id", "namespace_id"],
        description: "Claims that are immutable ids (used with requireImmutableIds).",
      },
    },
  },
  resourceTypes: ["gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider"],
  checkResource(r, ctx): Finding[] {
    const oidc = r.props.oidc as { issuerUri?: string } | undefined;
    if (oidc === undefined || oidc === null) return []; // AWS / SAML / X.509 providers: out of scope
    const issuer = oidc.issuerUri;
    const cond = r.props.attributeCondition;
    if (typeof cond !== "string" || cond.trim() === "") {
      return [
        {
          message: `must have an attributeCondition that pins the repository or owner; got none (issuer ${issuer})`,
          path: "attributeCondition",
          fix: "set attributeCondition: \"assertion.repository_owner_id == '<OWNER_ID>' && assertion.repository_id == '<REPO_ID>'\"",
          key: "no-condition",
        },
      ];
    }
    const parsed = parseCel(cond);
    if ("error" in parsed) {
      return [{ message: `must be a valid CEL expression; got a parse error: ${parsed.error}`, path: "attributeCondition", value: cond, fix: "fix the CEL syntax (GCP rejects it too)", key: "condition-unparseable" }];
    }
    const mapping = stringMap(r.props, "attributeMapping");
    const c = ctx.config;
    const a = analyse(parsed.ast, mapping, new Set(c.pinClaims));
    if (!a.pins) {
      const claims = [...a.claims].sort();
      const authorOnly = claims.length > 0 && claims.every((x) => AUTHOR_CONTROLLED.has(x));
      return [
        {
          message: authorOnly
            ? `must pin the repository or owner; got a condition on author-controlled claims only (${claims.join(", ")}): ${cond}`
            : `must pin the repository or owner on every branch; got ${claims.length ? `claims ${claims.join(", ")}` : "no claim"} without a narrowing repository/owner pin: ${cond}`,
          path: "attributeCondition",
          value: cond,
          fix: "AND the condition with assertion.repository_owner_id == '<OWNER_ID>' (and assertion.repository_id == '<REPO_ID>')",
          key: authorOnly ? "author-controlled-only" : "unpinned-condition",
        },
      ];
    }
    if (c.requireImmutableIds && ![...a.pinnedBy].some((x) => c.immutableIdClaims.includes(x))) {
      return [
        {
          message: `must pin an immutable id (${c.immutableIdClaims.join(", ")}); got a name-based pin on ${[...a.pinnedBy].sort().join(", ")}: ${cond}`,
          path: "attributeCondition",
          value: cond,
          fix: "pin assertion.repository_owner_id / assertion.repository_id: names can be renamed and re-registered by someone else",
          key: "name-based-pin",
        },
      ];
    }
    return [];
  },
});
