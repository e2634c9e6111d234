/**
 * Pins the exact observable behaviour of core/cedar/model.ts and core/cedar/local.ts that the broader
 * Cedar tests left loose:
 *  - model.ts: the namespace, entity type names, qualified names, the whole generated schema (every
 *    entity shape and every action's context, in key order) and its JSON text, cedarString's escapes
 *    at each boundary, and boundedId at exactly 200 characters.
 *  - local.ts: validateBundle's exact problem lines (errors, warnings, parse failures with Cedar's help
 *    text), the message localCedarEngine throws (problems joined by "; ", and cedar-wasm refusing to
 *    pre-parse the policies or the schema), the engine's name, decide() agreeing with decideSync(),
 *    sorted determining policies, evaluation errors, request validation on by default, and each
 *    engine keeping its own pre-parsed policy set and schema when several engines exist.
 *
 * model.ts computes its constants when it is imported, so the model tests load a fresh copy of the
 * module with jest.isolateModules (see loadModel()): a test that imported it at the top would not be
 * credited by per-test mutation coverage. Engines are likewise built inside the tests.
 */
import { localCedarEngine, validateBundle } from "../../../core/cedar/local";
import { compileToolPolicies, type CedarBundle, type CedarPolicy } from "../../../core/cedar/policies";
import type { CedarRequest } from "../../../core/cedar/request";
import { DATA_ANALYST, PR_REVIEWER } from "./examples";

type ModelModule = typeof import("../../../core/cedar/model");

/** A fresh copy of core/cedar/model, evaluated inside the calling test. */
function loadModel(): ModelModule {
  let m: ModelModule | undefined;
  jest.isolateModules(() => {
    m = require("../../../core/cedar/model") as ModelModule;
  });
  return m as ModelModule;
}

// ---------------------------------------------------------------------------------------------
// The expected schema, written out by hand
// ---------------------------------------------------------------------------------------------

const BASE_CONTEXT = {
  now: { type: "Long" },
  sessionAgeSeconds: { type: "Long" },
  priorActions: { type: "Set", element: { type: "String" } },
  taskId: { type: "String", required: false },
  approval: { type: "Record", attributes: { approver: { type: "String" }, taskId: { type: "String" } }, required: false },
};

const action = (resourceType: string, extra: object = {}) => ({
  appliesTo: { principalTypes: ["Assistant"], resourceTypes: [resourceType], context: { type: "Record", attributes: { ...BASE_CONTEXT, ...extra } } },
});

/** In the key order the module writes (entity types as ENTITY_TYPE, actions as TOOL_ACTIONS). */
const EXPECTED_SCHEMA = {
  AssistantTools: {
    entityTypes: {
      Assistant: {},
      GithubRepository: {},
      S3Object: { shape: { type: "Record", attributes: { bucket: { type: "String" }, key: { type: "String" } } } },
      Database: {},
      HttpEndpoint: {
        shape: { type: "Record", attributes: { scheme: { type: "String" }, host: { type: "String" }, port: { type: "Long" }, path: { type: "String" } } },
      },
      Secret: {},
    },
    actions: {
      "github:read": action("GithubRepository"),
      "github:comment": action("GithubRepository"),
      "github:create-pull-request": action("GithubRepository"),
      "github:push": action("GithubRepository"),
      "s3:read": action("S3Object"),
      "s3:write": action("S3Object"),
      "db:query": action("Database", { readOnly: { type: "Boolean" } }),
      "http:call": action("HttpEndpoint", { method: { type: "String" } }),
      "secret:read": action("Secret"),
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Local engine helpers
// ---------------------------------------------------------------------------------------------

/** 2026-06-01T00:00:00Z, before both example assistants expire. */
const NOW_EPOCH = 1780272000;

/** pr-reviewer's github:read of acme/app, a call its policies allow. */
const GITHUB_READ: CedarRequest = {
  principal: { type: "AssistantTools::Assistant", id: "pr-reviewer" },
  action: { type: "AssistantTools::Action", id: "github:read" },
  resource: { type: "AssistantTools::GithubRepository", id: "acme/app" },
  context: { now: NOW_EPOCH, sessionAgeSeconds: 60, priorActions: [], taskId: "task-1" },
  entities: [{ uid: { type: "AssistantTools::GithubRepository", id: "acme/app" }, attrs: {}, parents: [] }],
};

/** The same call aimed at an S3 object: a resource type github:read does not apply to. */
const GITHUB_READ_ON_S3: CedarRequest = {
  ...GITHUB_READ,
  resource: { type: "AssistantTools::S3Object", id: "s3://acme-ci-reports/coverage/x" },
  entities: [{ uid: { type: "AssistantTools::S3Object", id: "s3://acme-ci-reports/coverage/x" }, attrs: { bucket: "acme-ci-reports", key: "coverage/x" }, parents: [] }],
};

const WRONG_RESOURCE_TYPE =
  'resource type `AssistantTools::S3Object` is not valid for `AssistantTools::Action::"github:read"` (valid resource types for `AssistantTools::Action::"github:read"`: `AssistantTools::GithubRepository`)';

/** A bundle with extra forbid policies appended. */
function withForbids(bundle: CedarBundle, statements: Record<string, string>): CedarBundle {
  const extra: CedarPolicy[] = Object.entries(statements).map(([id, statement]) => ({ id, effect: "forbid", statement, description: id }));
  return { ...bundle, policies: [...bundle.policies, ...extra] };
}

const TICKET_POLICY = `permit (principal == AssistantTools::Assistant::"pr-reviewer", action == AssistantTools::Action::"github:read", resource) when { context.ticket == "x" };`;
const TICKET_ERROR = 'ticket: for policy `ticket`, attribute `ticket` in context for AssistantTools::Action::"github:read" not found';
const NEVER_POLICY = `forbid (principal, action, resource) when { false };`;
const NEVER_WARNING = "never (warning): for policy `never`, policy is impossible: the policy expression evaluates to false for all valid requests";

// =============================================================================================
// model.ts
// =============================================================================================

describe("model: names", () => {
  test("the namespace is AssistantTools", () => {
    expect(loadModel().NAMESPACE).toBe("AssistantTools");
  });

  test("each target kind and the assistant map to their Cedar entity type", () => {
    expect(loadModel().ENTITY_TYPE).toEqual({
      assistant: "Assistant",
      "github-repository": "GithubRepository",
      "s3-prefix": "S3Object",
      database: "Database",
      "http-endpoint": "HttpEndpoint",
      secret: "Secret",
    });
  });

  test("qualified() prefixes the namespace and the action type is AssistantTools::Action", () => {
    const m = loadModel();
    expect(m.qualified("S3Object")).toBe("AssistantTools::S3Object");
    expect(m.ACTION_TYPE).toBe("AssistantTools::Action");
  });

  test("entity and action references are fully qualified Cedar literals", () => {
    const m = loadModel();
    expect(m.entityRef("Secret", "ci/token")).toBe('AssistantTools::Secret::"ci/token"');
    expect(m.actionRef("http:call")).toBe('AssistantTools::Action::"http:call"');
  });
});

describe("model: the schema", () => {
  test("cedarSchema() is exactly the expected JSON schema (entity shapes and every action's context)", () => {
    expect(loadModel().cedarSchema()).toEqual(EXPECTED_SCHEMA);
  });

  test("cedarSchemaText() is the schema as JSON text, in the module's key order", () => {
    const text = loadModel().cedarSchemaText();
    expect(text).toBe(JSON.stringify(EXPECTED_SCHEMA));
    const head = '{"AssistantTools":{"entityTypes":{"Assistant":{},"GithubRepository":{},"S3Object":{"shape":{"type":"Record","attributes":{"bucket":{"type":"String"},';
    expect(text.slice(0, head.length)).toBe(head);
  });
});

describe("model: cedarString escapes", () => {
  test.each<[string, string, string]>([
    ["a backslash is doubled", "a\\b", '"a\\\\b"'],
    ["a double quote is backslash-escaped", 'say "hi"', '"say \\"hi\\""'],
    ["NUL is written as \\u{0}", "\u0000", '"\\u{0}"'],
    ["a newline is written as \\u{a}", "x\ny", '"x\\u{a}y"'],
    ["0x1f (the last control character below space) is escaped", "\u001f", '"\\u{1f}"'],
    ["a space (0x20) is kept as is", "a b", '"a b"'],
    ["'~' (0x7e) is kept as is", "~", '"~"'],
    ["DEL (0x7f) is written as \\u{7f}", "\u007f", '"\\u{7f}"'],
    ["non-ASCII is kept as is", "é😀", '"é😀"'],
  ])("%s", (_name, input, expected) => {
    expect(loadModel().cedarString(input)).toBe(expected);
  });

  test("a prefix pattern escapes quotes and backslashes before adding the wildcard", () => {
    expect(loadModel().cedarPrefixPattern('a"\\*')).toBe('"a\\"\\\\\\**"');
  });
});

describe("model: boundedId", () => {
  test("an id of exactly 200 characters is kept as is", () => {
    const id = "a".repeat(200);
    expect(loadModel().boundedId(id)).toBe(id);
  });

  test("an id of 201 characters is replaced by its sha256 digest", () => {
    expect(loadModel().boundedId("a".repeat(201))).toBe("sha256:a92efd82109373e58f9a2056dee01e807e216ce6075f7051207c0a9f7d666e50");
  });
});

// =============================================================================================
// local.ts
// =============================================================================================

describe("validateBundle: exact problem lines", () => {
  test("a validation error is `<policy id>: <message>` and a warning is `<policy id> (warning): <message>`, errors first", () => {
    const bundle = withForbids(compileToolPolicies(PR_REVIEWER), { never: NEVER_POLICY, ticket: TICKET_POLICY });
    expect(validateBundle(bundle)).toEqual([TICKET_ERROR, NEVER_WARNING]);
  });

  test("a warning alone is reported", () => {
    expect(validateBundle(withForbids(compileToolPolicies(PR_REVIEWER), { never: NEVER_POLICY }))).toEqual([NEVER_WARNING]);
  });

  test("a policy that does not parse is reported with Cedar's message", () => {
    const bundle: CedarBundle = {
      ...compileToolPolicies(PR_REVIEWER),
      policies: [{ id: "bad", effect: "permit", statement: "permit (principal, action, resource", description: "bad" }],
    };
    expect(validateBundle(bundle)).toEqual(["failed to parse policy with id `bad` from string: unexpected end of input"]);
  });

  test("a schema Cedar cannot resolve is reported with Cedar's help in parentheses", () => {
    const bundle: CedarBundle = {
      ...compileToolPolicies(PR_REVIEWER),
      schema: { AssistantTools: { entityTypes: { Assistant: { memberOfTypes: ["Nope"] } }, actions: {} } },
      policies: [],
    };
    expect(validateBundle(bundle)).toEqual([
      "failed to resolve type: Nope (neither `AssistantTools::Nope` nor `Nope` refers to anything that has been declared as an entity type)",
    ]);
  });
});

describe("localCedarEngine: refusals", () => {
  test("a bundle with problems is refused with every problem, joined by '; '", () => {
    const bundle = withForbids(compileToolPolicies(PR_REVIEWER), { ticket: TICKET_POLICY, never: NEVER_POLICY });
    expect(() => localCedarEngine(bundle)).toThrow(new Error(`generated Cedar policies do not validate against the schema: ${TICKET_ERROR}; ${NEVER_WARNING}`));
  });

  describe("when cedar-wasm refuses to pre-parse what it validated", () => {
    // The real module object local.ts reads its functions from (its `import * as` reads through).
    const wasm = require("@cedar-policy/cedar-wasm/nodejs") as Record<string, unknown>;
    const failure = { type: "failure", errors: [{ message: "first problem", help: "a hint" }, { message: "second problem", help: null }] };
    afterEach(() => jest.restoreAllMocks());

    test("the policies: the engine throws with cedar-wasm's messages (help in parentheses), joined by '; '", () => {
      jest.spyOn(wasm, "preparsePolicySet" as never).mockReturnValue(failure as never);
      expect(() => localCedarEngine(compileToolPolicies(PR_REVIEWER))).toThrow(
        new Error("cedar-wasm could not parse the policies: first problem (a hint); second problem"),
      );
    });

    test("the schema: the engine throws with cedar-wasm's messages (help in parentheses), joined by '; '", () => {
      jest.spyOn(wasm, "preparseSchema" as never).mockReturnValue(failure as never);
      expect(() => localCedarEngine(compileToolPolicies(PR_REVIEWER))).toThrow(
        new Error("cedar-wasm could not parse the schema: first problem (a hint); second problem"),
      );
    });
  });
});

describe("localCedarEngine: decisions", () => {
  test("the engine is named cedar-wasm", () => {
    expect(localCedarEngine(compileToolPolicies(PR_REVIEWER)).name).toBe("cedar-wasm");
  });

  test("decide() resolves to the same answer as decideSync()", async () => {
    const engine = localCedarEngine(compileToolPolicies(PR_REVIEWER));
    const expected = { decision: "allow", policyIds: ["permit-github-read-acme-app"], errors: [] };
    expect(engine.decideSync(GITHUB_READ)).toEqual(expected);
    await expect(engine.decide(GITHUB_READ)).resolves.toEqual(expected);
  });

  test("determining policies are returned sorted by id, whatever order Cedar reports them in", () => {
    const ids = Array.from({ length: 30 }, (_, i) => `p${(i * 7919) % 1000}`);
    const bundle = withForbids(compileToolPolicies(PR_REVIEWER), Object.fromEntries(ids.map((id) => [id, "forbid (principal, action, resource);"])));
    expect(localCedarEngine(bundle).decideSync(GITHUB_READ)).toEqual({
      decision: "deny",
      policyIds: [
        "p0", "p109", "p137", "p190", "p218", "p271", "p28", "p299", "p352", "p380",
        "p433", "p461", "p514", "p542", "p56", "p595", "p623", "p651", "p676", "p704",
        "p732", "p757", "p785", "p813", "p838", "p866", "p894", "p919", "p947", "p975",
      ],
      errors: [],
    });
  });

  test("an evaluation error is reported as `<policy id>: <message>` (the erroring policy is skipped)", () => {
    const bundle = withForbids(compileToolPolicies(PR_REVIEWER), { overflow: "forbid (principal, action, resource) when { context.now + 9223372036854775807 > 0 };" });
    expect(localCedarEngine(bundle).decideSync(GITHUB_READ)).toEqual({
      decision: "allow",
      policyIds: ["permit-github-read-acme-app"],
      errors: ["overflow: integer overflow while attempting to add the values `1780272000` and `9223372036854775807`"],
    });
  });

  test("requests are validated against the schema by default: a wrong resource type is a deny with no policy and Cedar's error", () => {
    expect(localCedarEngine(compileToolPolicies(PR_REVIEWER)).decideSync(GITHUB_READ_ON_S3)).toEqual({ decision: "deny", policyIds: [], errors: [WRONG_RESOURCE_TYPE] });
    expect(localCedarEngine(compileToolPolicies(PR_REVIEWER), {}).decideSync(GITHUB_READ_ON_S3)).toEqual({ decision: "deny", policyIds: [], errors: [WRONG_RESOURCE_TYPE] });
  });

  test("validateRequest: false evaluates the same request without request validation (a plain deny, no error)", () => {
    expect(localCedarEngine(compileToolPolicies(PR_REVIEWER), { validateRequest: false }).decideSync(GITHUB_READ_ON_S3)).toEqual({
      decision: "deny",
      policyIds: [],
      errors: [],
    });
  });
});

describe("localCedarEngine: several engines in one process", () => {
  test("each engine keeps its own policies: building a second engine does not change the first one's decisions", () => {
    const reviewer = localCedarEngine(compileToolPolicies(PR_REVIEWER));
    const analyst = localCedarEngine(compileToolPolicies(DATA_ANALYST));
    expect(reviewer.decideSync(GITHUB_READ)).toEqual({ decision: "allow", policyIds: ["permit-github-read-acme-app"], errors: [] });
    expect(analyst.decideSync({ ...GITHUB_READ, principal: { type: "AssistantTools::Assistant", id: "data-analyst" } })).toEqual({
      decision: "deny",
      policyIds: [],
      errors: [],
    });
  });

  test("each engine keeps its own schema: a second engine whose schema declares context.ticket does not let the first accept it", () => {
    const standard = compileToolPolicies(PR_REVIEWER);
    const schema = JSON.parse(JSON.stringify(standard.schema)) as CedarBundle["schema"];
    schema.AssistantTools.actions["github:read"].appliesTo.context.attributes.ticket = { type: "String", required: false };
    const first = localCedarEngine(standard);
    const second = localCedarEngine({ ...standard, schema });
    const withTicket: CedarRequest = { ...GITHUB_READ, context: { ...GITHUB_READ.context, ticket: "T-1" } };
    expect(first.decideSync(withTicket)).toEqual({
      decision: "deny",
      policyIds: [],
      errors: ["while parsing context, record attribute `ticket` should not exist according to the schema"],
    });
    expect(second.decideSync(withTicket)).toEqual({ decision: "allow", policyIds: ["permit-github-read-acme-app"], errors: [] });
  });
});
