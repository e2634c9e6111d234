/**
 * Mutation gaps in core/spec/clouds.ts (cross-cloud checks), core/spec/errors.ts and core/spec/index.ts.
 *
 * Pins, through validateSpec / loadSpec, the exact SpecErrors (path and message) that the cross-cloud
 * step reports: GCP findings, one GitHub App installation per assistant, github plans that cannot
 * be built, and subject disagreements between the source, GitHub, AWS and GCP (including which
 * provider shard an assistant's condition is checked against). Also pins the SpecValidationError
 * text and formatPath's root name.
 */
import { validateSpec, loadSpec } from "../../../core/spec/validate";
import { SpecValidationError, formatPath } from "../../../core/spec/errors";
import { validAssistant, validSpec } from "../../support/spec";

const NOW = new Date("2026-12-01T00:00:00Z");
const GCP_PLATFORM = { projectId: "acme-agents-dev", projectNumber: "123456789012" };
const GCP_ACCESS = { grants: [{ kind: "secret-access", secret: "db-pass" }] };
const APP = { appId: 11, installationId: 77, repositories: ["app"] };

const errorsOf = (spec: unknown) => validateSpec(spec, { now: NOW, stack: "dev" }).errors;

/** The base assistant with its own deployment environment (so it is a distinct identity). */
const inEnv = (name: string, environment: string, overrides: Record<string, unknown> = {}) =>
  validAssistant({ name, source: { ...validAssistant().source, environment }, ...overrides });

describe("GCP findings become SpecErrors and stop the cross-cloud checks", () => {
  test("a gcp section without platform.gcp is reported at assistants[0].gcp with the finding's fix", () => {
    expect(errorsOf(validSpec([validAssistant({ gcp: GCP_ACCESS })]))).toEqual([
      {
        path: "assistants[0].gcp",
        message:
          "must have platform.gcp (projectId, projectNumber) when an assistant has a gcp section; got none for pr-reviewer (fix: add platform.gcp with the project id and number)",
      },
    ]);
  });

  test("with a GCP finding, a duplicate GitHub App installation is not reported (the GCP errors return first)", () => {
    const spec = validSpec([validAssistant({ gcp: GCP_ACCESS, github: { app: APP } }), inEnv("second-bot", "other", { github: { app: APP } })]);
    expect(errorsOf(spec)).toEqual([
      {
        path: "assistants[0].gcp",
        message:
          "must have platform.gcp (projectId, projectNumber) when an assistant has a gcp section; got none for pr-reviewer (fix: add platform.gcp with the project id and number)",
      },
    ]);
  });

  test("an assistant with gcp and platform.gcp is valid", () => {
    const spec = validSpec([validAssistant({ gcp: GCP_ACCESS })]);
    spec.platform.gcp = GCP_PLATFORM;
    expect(validateSpec(spec, { now: NOW, stack: "dev" })).toEqual(expect.objectContaining({ errors: [] }));
    expect(validateSpec(spec, { now: NOW, stack: "dev" }).spec).toBeDefined();
  });

  test("platform.gcp with no assistant using gcp is valid", () => {
    const spec = validSpec([validAssistant()]);
    spec.platform.gcp = GCP_PLATFORM;
    expect(errorsOf(spec)).toEqual([]);
  });
});

describe("one GitHub App installation per assistant", () => {
  test("the second assistant naming the same installation id is reported at its installationId", () => {
    const spec = validSpec([validAssistant({ github: { app: APP } }), inEnv("second-bot", "other", { github: { app: APP } })]);
    expect(errorsOf(spec)).toEqual([
      {
        path: "assistants[1].github.app.installationId",
        message: "installation 77 is already managed for assistants[0]: one GitHub App installation per assistant (its repository set is managed whole)",
      },
    ]);
  });

  test("different installation ids are valid", () => {
    const spec = validSpec([validAssistant({ github: { app: APP } }), inEnv("second-bot", "other", { github: { app: { ...APP, installationId: 78 } } })]);
    expect(errorsOf(spec)).toEqual([]);
  });

  test("two assistants with github collaborators (no app, no installation id) are valid and do not throw", () => {
    const collab = (username: string) => ({ collaborator: { username, permission: "pull", repositories: ["app"] } });
    const spec = validSpec([validAssistant({ aws: undefined, github: collab("bot-user") }), inEnv("second-bot", "other", { aws: undefined, github: collab("bot-user2") })]);
    expect(errorsOf(spec)).toEqual([]);
  });
});

describe("a github section whose plan cannot be built", () => {
  test("github.environment on a kubernetes source is reported at assistants[0].github with the plan's message", () => {
    const spec = validSpec([
      validAssistant({
        aws: undefined,
        source: { kind: "kubernetes", issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/AB12", namespace: "agents", serviceAccount: "bot" },
        github: { environment: { name: "ai-review", branches: ["main"] } },
      }),
    ]);
    expect(errorsOf(spec)).toEqual([
      {
        path: "assistants[0].github",
        message:
          "pr-reviewer: github.environment and github.subjectTemplate need a github-actions source (the repository they configure); got source kind kubernetes",
      },
    ]);
  });
});

describe("agreement: the subject GitHub will issue against the source, AWS trust and the GCP condition and principal", () => {
  const ENV_MISMATCH = {
    path: "assistants[0].source.environment",
    message:
      'source.environment must equal github.environment.name (the environment the stack creates, which GitHub puts in the token); got "ai-review" and "other" (fix the spec side: set source.environment to "other")',
  };

  test("with aws, gcp and github: every side that follows the source is reported, blaming the spec", () => {
    const spec = validSpec([
      validAssistant({ github: { environment: { name: "other", branches: ["main"] } }, gcp: GCP_ACCESS }),
      // An aws-only assistant alongside: not every assistant has gcp.
      inEnv("second-bot", "second-env"),
    ]);
    spec.platform.gcp = GCP_PLATFORM;
    expect(errorsOf(spec)).toEqual([
      ENV_MISMATCH,
      {
        path: "assistants[0].aws.trust.sub",
        message:
          'AWS must trust the subject GitHub will issue, "repo:acme/app:environment:other"; it trusts ["repo:acme/app:environment:ai-review"] (fix the spec side: fix the spec as reported above: AWS trust follows the source)',
      },
      {
        path: "assistants[0].gcp.provider.attributeCondition",
        message:
          'the GCP attributeCondition must admit the token GitHub will issue (sub "repo:acme/app:environment:other"); it evaluates to false (fix the spec side: fix the spec as reported above: the condition follows the source)',
      },
      {
        path: "assistants[0].gcp.principal",
        message:
          'the GCP principal must name the subject GitHub will issue, "repo:acme/app:environment:other"; got "principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/ai-dev/subject/repo:acme/app:environment:ai-review" (fix the spec side: fix the spec as reported above: the principal follows the source)',
      },
    ]);
  });

  test("with github only (no aws, no gcp): the environment mismatch is still reported", () => {
    const spec = validSpec([validAssistant({ aws: undefined, github: { environment: { name: "other", branches: ["main"] } } })]);
    expect(errorsOf(spec)).toEqual([ENV_MISMATCH]);
  });

  test("a revoked assistant's GCP condition is not required to admit it (only the source and AWS sides are reported)", () => {
    const spec = validSpec([validAssistant({ revoked: true, github: { environment: { name: "other", branches: ["main"] } }, gcp: GCP_ACCESS })]);
    spec.platform.gcp = GCP_PLATFORM;
    expect(errorsOf(spec).map((e) => e.path)).toEqual(["assistants[0].source.environment", "assistants[0].aws.trust.sub"]);
  });

  test("gcp assistants spread over three provider shards each agree with their own provider's condition", () => {
    const assistants = Array.from({ length: 6 }, (_, i) => inEnv(`bot-${i}x`, `env-${i}`, { aws: undefined, gcp: GCP_ACCESS }));
    const spec = validSpec(assistants);
    spec.platform.gcp = { ...GCP_PLATFORM, providerShards: 3 };
    expect(errorsOf(spec)).toEqual([]);
  });

  test("an assistant with no cloud access at all is valid", () => {
    expect(errorsOf(validSpec([validAssistant({ aws: undefined })]))).toEqual([]);
  });
});

describe("SpecValidationError and formatPath", () => {
  test("one problem: singular wording, default source 'stack config', name SpecValidationError", () => {
    const e = new SpecValidationError([{ path: "assistants[0].name", message: "bad name" }]);
    expect(e.message).toBe("stack config has 1 problem:\n  - assistants[0].name: bad name");
    expect(e.name).toBe("SpecValidationError");
    expect(e.errors).toEqual([{ path: "assistants[0].name", message: "bad name" }]);
  });

  test("two problems: plural wording, one line each, custom source", () => {
    const e = new SpecValidationError(
      [
        { path: "a", message: "x" },
        { path: "b", message: "y" },
      ],
      "stacks/Pulumi.dev.yaml",
    );
    expect(e.message).toBe("stacks/Pulumi.dev.yaml has 2 problems:\n  - a: x\n  - b: y");
  });

  test("loadSpec throws a SpecValidationError naming the cross-cloud problem", () => {
    const spec = validSpec([validAssistant({ gcp: GCP_ACCESS })]);
    let thrown: unknown;
    try {
      loadSpec(spec, { now: NOW, stack: "dev" });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SpecValidationError);
    expect((thrown as Error).name).toBe("SpecValidationError");
    expect((thrown as Error).message).toBe(
      "stack config has 1 problem:\n  - assistants[0].gcp: must have platform.gcp (projectId, projectNumber) when an assistant has a gcp section; got none for pr-reviewer (fix: add platform.gcp with the project id and number)",
    );
  });

  test("formatPath names the empty path (root)", () => {
    expect(formatPath([])).toBe("(root)");
    expect(formatPath(["assistants", 2, "aws", "grants", 0, "bucket"])).toBe("assistants[2].aws.grants[0].bucket");
  });
});
