/**
 * What the mocks answer for each resource type: the inputs, plus the outputs a real provider would
 * add (ARNs, emails, ids) synthesised in the provider's real formats, so the program's exports
 * and the pack's stack rules see realistic values.
 */
export interface MockContext {
  accountId: string;
  region: string;
  partition: string;
  gcpProject: string;
  gcpProjectNumber: string;
}

type Synth = (name: string, inputs: Record<string, any>, c: MockContext) => { id: string; extra: Record<string, unknown> };

const iamArn = (c: MockContext, kind: string, path: string | undefined, name: string) => `arn:${c.partition}:iam::${c.accountId}:${kind}${path ?? "/"}${name}`;

const SYNTH: Record<string, Synth> = {
  "aws:iam/role:Role": (n, i, c) => {
    const name = i.name ?? n;
    return { id: name, extra: { arn: iamArn(c, "role", i.path, name), uniqueId: `AROA${hash(name, 17)}`, createDate: "2026-01-01T00:00:00Z" } };
  },
  "aws:iam/policy:Policy": (n, i, c) => {
    const arn = iamArn(c, "policy", i.path, i.name ?? n);
    return { id: arn, extra: { arn, policyId: `ANPA${hash(arn, 17)}`, attachmentCount: 0 } };
  },
  "aws:iam/user:User": (n, i, c) => ({ id: i.name ?? n, extra: { arn: iamArn(c, "user", i.path, i.name ?? n), uniqueId: `AIDA${hash(n, 17)}` } }),
  "aws:iam/openIdConnectProvider:OpenIdConnectProvider": (_n, i, c) => {
    const arn = `arn:${c.partition}:iam::${c.accountId}:oidc-provider/${String(i.url).replace(/^https:\/\//, "")}`;
    return { id: arn, extra: { arn } };
  },
  "aws:iam/rolePolicy:RolePolicy": (n, i) => ({ id: `${i.role}:${i.name ?? n}`, extra: {} }),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": (n, i) => ({ id: `${i.role}-${hash(String(i.policyArn), 20)}`, extra: {} }),
  "aws:secretsmanager/secret:Secret": (n, i, c) => {
    const arn = `arn:${c.partition}:secretsmanager:${c.region}:${c.accountId}:secret:${i.name ?? n}-${hash(n, 6)}`;
    return { id: arn, extra: { arn } };
  },
  "aws:kms/key:Key": (n, _i, c) => {
    const keyId = uuid(n);
    return { id: keyId, extra: { keyId, arn: `arn:${c.partition}:kms:${c.region}:${c.accountId}:key/${keyId}` } };
  },
  "aws:cloudwatch/logGroup:LogGroup": (n, i, c) => ({ id: i.name ?? n, extra: { arn: `arn:${c.partition}:logs:${c.region}:${c.accountId}:log-group:${i.name ?? n}` } }),
  "aws:cloudtrail/trail:Trail": (n, i, c) => ({ id: i.name ?? n, extra: { arn: `arn:${c.partition}:cloudtrail:${c.region}:${c.accountId}:trail/${i.name ?? n}` } }),
  "aws:cloudtrail/eventDataStore:EventDataStore": (n, i, c) => {
    const arn = `arn:${c.partition}:cloudtrail:${c.region}:${c.accountId}:eventdatastore/${uuid(n)}`;
    return { id: arn, extra: { arn } };
  },
  "aws:verifiedpermissions/policyStore:PolicyStore": (n, _i, c) => {
    const id = `PS${hash(n, 20)}`;
    return { id, extra: { policyStoreId: id, arn: `arn:${c.partition}:verifiedpermissions::${c.accountId}:policy-store/${id}` } };
  },
  "aws:iam/accessKey:AccessKey": (n, i) => ({
    id: `AKIA${hash(n, 16)}`,
    // A stand-in for key material: tests assert it never reaches an output or the inventory.
    extra: { secret: `mock-secret-${hash(`${n}/secret`, 40)}`, status: i.status ?? "Active", createDate: "2026-01-01T00:00:00Z" },
  }),
  "aws:cloudwatch/eventRule:EventRule": (n, i, c) => ({ id: i.name ?? n, extra: { arn: `arn:${c.partition}:events:${c.region}:${c.accountId}:rule/${i.name ?? n}` } }),
  "time:index/rotating:Rotating": (n, i) => {
    const base = Date.parse(i.rfc3339 ?? "2026-01-01T00:00:00Z");
    const days = Number(i.rotationDays ?? 0);
    const rotation = new Date(base + days * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    return { id: i.rfc3339 ?? n, extra: { rotationRfc3339: rotation, unix: Math.floor(base / 1000) } };
  },
  "gcp:logging/projectBucketConfig:ProjectBucketConfig": (n, i, c) => {
    const name = `projects/${i.project ?? c.gcpProject}/locations/${i.location ?? "global"}/buckets/${i.bucketId ?? n}`;
    return { id: name, extra: { name } };
  },
  "aws:verifiedpermissions/policy:Policy": (n) => {
    const policyId = `SPx${hash(n, 19)}`;
    return { id: policyId, extra: { policyId } };
  },
  "aws:verifiedpermissions/schema:Schema": (n) => ({ id: `schema-${hash(n, 12)}`, extra: {} }),
  "gcp:serviceaccount/account:Account": (n, i, c) => {
    const email = `${i.accountId ?? n}@${i.project ?? c.gcpProject}.iam.gserviceaccount.com`;
    return { id: `projects/${i.project ?? c.gcpProject}/serviceAccounts/${email}`, extra: { email, name: `projects/${i.project ?? c.gcpProject}/serviceAccounts/${email}`, uniqueId: digits(n, 21), member: `serviceAccount:${email}` } };
  },
  "gcp:iam/workloadIdentityPool:WorkloadIdentityPool": (n, i, c) => {
    const name = `projects/${c.gcpProjectNumber}/locations/global/workloadIdentityPools/${i.workloadIdentityPoolId ?? n}`;
    return { id: name, extra: { name, state: "ACTIVE" } };
  },
  "gcp:iam/workloadIdentityPoolProvider:WorkloadIdentityPoolProvider": (n, i, c) => {
    const name = `projects/${c.gcpProjectNumber}/locations/global/workloadIdentityPools/${i.workloadIdentityPoolId}/providers/${i.workloadIdentityPoolProviderId ?? n}`;
    return { id: name, extra: { name, state: "ACTIVE" } };
  },
  "gcp:secretmanager/secret:Secret": (n, i, c) => {
    const name = `projects/${c.gcpProjectNumber}/secrets/${i.secretId ?? n}`;
    return { id: name, extra: { name } };
  },
  "gcp:pubsub/topic:Topic": (n, i, c) => ({ id: `projects/${i.project ?? c.gcpProject}/topics/${i.name ?? n}`, extra: {} }),
  "gcp:logging/projectSink:ProjectSink": (n, i, c) => ({
    id: `projects/${i.project ?? c.gcpProject}/sinks/${i.name ?? n}`,
    extra: { writerIdentity: `serviceAccount:service-${c.gcpProjectNumber}@gcp-sa-logging.iam.gserviceaccount.com` },
  }),
};

/** Deterministic pseudo-random characters from a seed (the mocks must give the same plan every run). */
function hash(seed: string, len: number): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let h = 2166136261;
  let out = "";
  for (let i = 0; out.length < len; i++) {
    h ^= seed.charCodeAt(i % Math.max(1, seed.length)) + i;
    h = Math.imul(h, 16777619) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return out;
}
const digits = (seed: string, len: number) => hash(seed, len).replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) % 10));
const uuid = (seed: string) => {
  const h = hash(seed, 32).toLowerCase().replace(/[^0-9a-f]/g, (ch) => "abcdef0123456789"[ch.charCodeAt(0) % 16]);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

export function mockOutputs(type: string, name: string, inputs: Record<string, any>, c: MockContext): { id: string; state: Record<string, unknown> } {
  const synth = SYNTH[type];
  if (synth) {
    const { id, extra } = synth(name, inputs, c);
    return { id, state: { ...inputs, ...extra } };
  }
  const id = `${name}-${hash(name, 8).toLowerCase()}`;
  const state: Record<string, unknown> = { ...inputs };
  if (type.startsWith("aws:") && state.arn === undefined) {
    const service = type.split(":")[1].split("/")[0];
    state.arn = `arn:${c.partition}:${service}:${c.region}:${c.accountId}:${inputs.name ?? name}`;
  }
  return { id, state };
}
