/**
 * Pins the exact observable behaviour of core/gcp/ids.ts that ids.test.ts left loose: the
 * GcpIdError name and full messages, slugging of names (runs of separators, leading/trailing
 * separators), the pool id's gcp- and short-id repairs (exact ids, hash of the unslugged name),
 * which issuers get the fixed provider ids, the custom role id's 64-character boundary and hashed
 * form, and that the Cloud SQL user name strips only the email's suffix.
 * Expected hashes were computed once outside this module (sha256 hex of the stated input).
 */
import { GcpIdError, cloudSqlIamUserName, customRoleId, poolId, providerId, serviceAccountId } from "../../../core/gcp/ids";
import { GITHUB_ISSUER } from "../../../core/spec/schema";

/** Runs `f`, which must throw, and returns what it threw. */
function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

function expectGcpIdError(f: () => unknown, message: string): void {
  const e = thrown(f);
  expect(e).toBeInstanceOf(GcpIdError);
  expect((e as Error).name).toBe("GcpIdError");
  expect((e as Error).message).toBe(message);
}

describe("GcpIdError", () => {
  test("is named GcpIdError and carries the message", () => {
    const e = new GcpIdError("boom");
    expect(e.name).toBe("GcpIdError");
    expect(e.message).toBe("boom");
    expect(e).toBeInstanceOf(Error);
  });
});

describe("poolId: slugging the name", () => {
  test("a run of dashes collapses to one", () => {
    expect(poolId("ai", "team--prod")).toBe("ai-team-prod");
    expect(poolId("ai---x", "prod")).toBe("ai-x-prod");
  });
  test("a run of disallowed characters becomes one dash", () => {
    expect(poolId("ai", "Team__.Prod")).toBe("ai-team-prod");
  });
  test("a leading or trailing separator is dropped, not replaced", () => {
    expect(poolId("_ai", "prod")).toBe("ai-prod");
    expect(poolId("ai", "prod.")).toBe("ai-prod");
  });
});

describe("poolId: repairs", () => {
  test("an id starting with gcp- gets a p- prefix", () => {
    expect(poolId("gcp", "x")).toBe("p-gcp-x");
  });
  test("a long gcp- id is prefixed and re-cut, hashed on the unslugged <prefix>-<stack>", () => {
    // sha256("gcp-platform-team-production-europe-west") starts with 9742c8
    expect(poolId("gcp", "platform-team-production-europe-west")).toBe("p-gcp-platform-team-produ-9742c8");
  });
  test("an id shorter than 4 characters gets -pool appended, keeping its dashes", () => {
    expect(poolId("a", "b")).toBe("a-b-pool");
    expect(poolId("ab", "")).toBe("ab-pool");
  });
  test("a slug that padding turns into gcp-pool still gets the p- prefix (the repairs run pad first, then prefix)", () => {
    expect(poolId("gcp", "_")).toBe("p-gcp-pool");
    expect(poolId("gcp", "")).toBe("p-gcp-pool");
    expect(poolId("", "gcp")).toBe("p-gcp-pool");
  });
  test("an empty slug becomes just pool", () => {
    expect(poolId("", "")).toBe("pool");
    expect(poolId("_", ".")).toBe("pool");
  });
  test("an invalid explicit pool id throws naming the pool", () => {
    expectGcpIdError(() => poolId("ai", "prod", "gcp-pool"), `the Workload Identity pool id must not start with 'gcp-' (reserved by Google); got "gcp-pool"`);
    expectGcpIdError(() => poolId("ai", "prod", "abc"), `the Workload Identity pool id must be 4-32 characters of a-z, 0-9 and '-'; got "abc" (3 characters)`);
  });
});

describe("providerId: fixed ids only for the public issuer of the matching kind", () => {
  test("gitlab-ci on the GitHub issuer is hashed, not github", () => {
    // sha256("https://token.actions.githubusercontent.com") starts with dd9c65dd
    expect(providerId("gitlab-ci", GITHUB_ISSUER)).toBe("gitlab-dd9c65dd");
  });
  test("self-managed GitLab is hashed, not gitlab", () => {
    // sha256("https://gitlab.example.com") starts with dfe2eead
    expect(providerId("gitlab-ci", "https://gitlab.example.com")).toBe("gitlab-dfe2eead");
  });
  test("another kind on https://gitlab.com is hashed under its own kind", () => {
    // sha256("https://gitlab.com") starts with e7be96a5
    expect(providerId("oidc", "https://gitlab.com")).toBe("oidc-e7be96a5");
    expect(providerId("github-actions", "https://gitlab.com")).toBe("github-e7be96a5");
  });
});

describe("serviceAccountId: invalid results throw", () => {
  test("a 5-character id is refused with the full message", () => {
    expectGcpIdError(() => serviceAccountId("a", "b", "c"), `the service account id must be 6-30 of a-z, 0-9 and '-' starting with a letter; got "a-b-c"`);
  });
  test("an id starting with a digit is refused", () => {
    expectGcpIdError(() => serviceAccountId("1ai", "bot", "prod"), `the service account id must be 6-30 of a-z, 0-9 and '-' starting with a letter; got "1ai-bot-prod"`);
  });
  test("separators are slugged: runs collapse, ends are dropped", () => {
    expect(serviceAccountId("ai", "pr--bot", "dev!")).toBe("ai-pr-bot-dev");
  });
});

describe("customRoleId: length boundary and hashed form", () => {
  test("exactly 64 characters is kept as is", () => {
    const id = `ai_${"b".repeat(42)}_prod_vertexPredict`;
    expect(id).toHaveLength(64);
    expect(customRoleId("ai", "b".repeat(42), "prod", "vertexPredict")).toBe(id);
  });
  test("65 characters: the first 55, '_' and 8 hex of the whole", () => {
    // sha256("ai_" + 43*"b" + "_prod_vertexPredict") starts with 177eecc8
    expect(customRoleId("ai", "b".repeat(43), "prod", "vertexPredict")).toBe(`ai_${"b".repeat(43)}_prod_ver_177eecc8`);
  });
  test("79 characters: cut to 55 and hashed to exactly 64", () => {
    // sha256("platform_" + 50*"a" + "_stage_vertexPredict") starts with a47d2da1
    const id = customRoleId("platform", "a".repeat(50), "stage", "vertexPredict");
    expect(id).toBe(`platform_${"a".repeat(46)}_a47d2da1`);
    expect(id).toHaveLength(64);
  });
  test("a disallowed character anywhere is refused with the full message", () => {
    const msg = (id: string) => `the custom role id must be 3-64 of letters, digits, '_' and '.'; got ${JSON.stringify(id)}`;
    expectGcpIdError(() => customRoleId("a/b", "x", "prod", "what"), msg("a/b_x_prod_what"));
    expectGcpIdError(() => customRoleId("ai", "x", "prod", "what/"), msg("ai_x_prod_what/"));
    expectGcpIdError(() => customRoleId("ai", "x y", "prod", "what"), msg("ai_x y_prod_what"));
  });
});

describe("cloudSqlIamUserName", () => {
  test("strips only a trailing .gserviceaccount.com", () => {
    expect(cloudSqlIamUserName("ai-x@p.iam.gserviceaccount.com")).toBe("ai-x@p.iam");
    expect(cloudSqlIamUserName("alice@corp.gserviceaccount.com.example.org")).toBe("alice@corp.gserviceaccount.com.example.org");
  });
});
