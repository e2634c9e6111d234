/** A valid spec to mutate in tests. */
export function validAssistant(overrides: Record<string, unknown> = {}): any {
  return {
    name: "pr-reviewer",
    owner: { team: "devex", contact: "devex@acme.example" },
    purpose: "Reviews pull requests and posts findings.",
    environment: "dev",
    expires: "2027-03-31",
    source: { kind: "github-actions", repository: "acme/app", ownerId: 1001, repositoryId: 2002, environment: "ai-review" },
    aws: { grants: [{ kind: "s3-read", bucket: "acme-artifacts", prefix: "app/" }] },
    ...overrides,
  };
}

export function validSpec(assistants: unknown[] = [validAssistant()]): any {
  return { platform: { namePrefix: "ai", aws: { accountId: "111122223333", region: "eu-west-1" } }, assistants };
}

export const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
