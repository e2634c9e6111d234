/**
 * 10,000 resources through the whole pack (resource and stack rules): the run completes, scales
 * roughly linearly (stack rules index by URN/subject, documents parse once per distinct string), and
 * finds exactly the planted defects.
 */
import { policies } from "../../policies/list";
import { createHarness, InputResource } from "../../policies/harness";

const GH = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
function trust(sub: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Federated: GH }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com", "token.actions.githubusercontent.com:sub": sub } } }],
  });
}

function stack(n: number): InputResource[] {
  const out: InputResource[] = [];
  for (let i = 0; i < n; i++) {
    switch (i % 5) {
      case 0:
        out.push({ type: "aws:iam/role:Role", name: `role-${i}`, props: { assumeRolePolicy: trust(`repo:acme/app-${i}:environment:prod`), maxSessionDuration: i % 1000 === 0 ? 43200 : 3600, tags: { "ai-environment": "prod" } } });
        break;
      case 1:
        out.push({ type: "gcp:projects/iAMMember:IAMMember", name: `member-${i}`, props: { project: "p", role: i % 1001 === 0 ? "roles/editor" : "roles/run.invoker", member: `serviceAccount:sa-${i}@p.iam.gserviceaccount.com` } });
        break;
      case 2:
        out.push({ type: "github:index/actionsSecret:ActionsSecret", name: `secret-${i}`, props: { repository: "app", secretName: i % 1002 === 0 ? "AWS_SECRET_ACCESS_KEY" : `ROLE_ARN_${i}` } });
        break;
      case 3:
        out.push({ type: "gcp:secretmanager/secret:Secret", name: `gsecret-${i}`, props: { secretId: `s${i}`, rotation: { rotationPeriod: "2592000s", nextRotationTime: "2027-01-01T00:00:00Z" }, topics: [{ name: "projects/p/topics/t" }] } });
        break;
      default:
        out.push({ type: "random:index/randomId:RandomId", name: `rnd-${i}`, props: { byteLength: 8 } });
    }
  }
  return out;
}

test("10,000 resources: exact planted findings, in bounded time", async () => {
  const resources = stack(10_000);
  const h = createHarness(policies);
  const t0 = process.hrtime.bigint();
  const { violations } = await h.run(resources);
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const byRule: Record<string, number> = {};
  for (const v of violations) byRule[v.ruleId] = (byRule[v.ruleId] ?? 0) + 1;
  // role-0, role-1000, …: i % 5 == 0 and i % 1000 == 0 → 10; editor: i % 5 == 1 and i % 1001 == 0 → i = 1001·k with k ≡ 1 (mod 5) → 2 (1001, 6006);
  // AWS key secret: i % 5 == 2 and i % 1002 == 0 → i = 1002·k, k ≡ 1 (mod 5) → 2 (1002, 6012).
  expect(byRule).toEqual({ "oidc-role-session-duration": 10, "gcp-iam-least-privilege": 2, "no-static-credentials": 2 });
  // eslint-disable-next-line no-console
  console.log(`10,000 resources through ${policies.length} policies: ${ms.toFixed(0)} ms (${((ms * 1000) / 10_000).toFixed(1)} µs/resource)`);
  expect(ms).toBeLessThan(30_000);
});
