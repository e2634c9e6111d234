import { boundaryPolicy } from "../../core/aws/boundary";
import { named, ofType, planExample } from "../support/plan";

describe("the program under Pulumi's mocks (dev stack)", () => {
  let plan: Awaited<ReturnType<typeof planExample>>;
  beforeAll(async () => {
    plan = await planExample("dev");
  });

  test("registers one OIDC provider per issuer, shared, with the union of audiences", () => {
    const providers = ofType(plan.run.resources, "aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(providers.map((p) => p.inputs.url).sort()).toEqual([
      "https://oidc.eks.eu-west-1.amazonaws.com/id/5C2B8E1F0A7D4B3C9E6F1A2B3C4D5E6F",
      "https://spire-oidc.dev.acme.example",
      "https://token.actions.githubusercontent.com",
    ]);
    for (const p of providers) expect(p.inputs.clientIdLists).toEqual(["sts.amazonaws.com"]);
  });

  test("the pr-reviewer role has exactly the pinned trust, session, boundary and tags", () => {
    const role = named(plan.run.resources, "aws:iam/role:Role", "ai-pr-reviewer-dev-aws-role");
    expect(role.inputs.name).toBe("ai-pr-reviewer-dev");
    expect(role.inputs.path).toBe("/assistants/");
    expect(role.inputs.maxSessionDuration).toBe(3600);
    expect(role.inputs.permissionsBoundary).toBe("arn:aws:iam::111122223333:policy/assistants/ai-assistant-boundary");
    expect(JSON.parse(role.inputs.assumeRolePolicy as string)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AssumeFromPinnedWorkload",
          Effect: "Allow",
          Principal: { Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
          Action: ["sts:AssumeRoleWithWebIdentity"],
          Condition: {
            StringEquals: {
              "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
              "token.actions.githubusercontent.com:sub": "repo:acme/payments-api:environment:ai-review-dev",
            },
            DateLessThan: { "aws:CurrentTime": "2027-05-31T00:00:00Z" },
          },
        },
      ],
    });
    expect(role.inputs.tags).toEqual({
      "ai-assistant": "pr-reviewer",
      "ai-owner": "developer-experience",
      "ai-contact": "devex@acme.example",
      "ai-environment": "dev",
      "ai-expires": "2027-05-31",
      "managed-by": "assistant-identities",
    });
    // The role is created after the provider it trusts.
    const provider = plan.run.resources.find((r) => r.inputs.url === "https://token.actions.githubusercontent.com")!;
    expect(role.dependencies).toContain(provider.urn);
  });

  test("grants are one inline policy of exact actions on exact ARNs, each ending at the expiry", () => {
    const grants = named(plan.run.resources, "aws:iam/rolePolicy:RolePolicy", "ai-pr-reviewer-dev-aws-grants");
    const d = JSON.parse(grants.inputs.policy as string);
    const until = { DateLessThan: { "aws:CurrentTime": "2027-05-31T00:00:00Z" } };
    expect(d.Statement).toEqual(
      expect.arrayContaining([
        { Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: ["arn:aws:s3:::acme-ci-artifacts-dev/payments-api/*"], Condition: until },
        {
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: ["arn:aws:s3:::acme-ci-artifacts-dev"],
          Condition: { StringLike: { "s3:prefix": ["payments-api/*"] }, ...until },
        },
        {
          Effect: "Allow",
          Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
          Resource: ["arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"],
          Condition: until,
        },
        {
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: ["arn:aws:logs:eu-west-1:111122223333:log-group:/ai/pr-reviewer/dev:log-stream:*"],
          Condition: until,
        },
      ]),
    );
    expect(d.Statement).toHaveLength(4);
    for (const s of d.Statement) expect(s.Action).not.toContain("*");
  });

  test("the shared boundary is registered once with the escalation denies", () => {
    const boundaries = ofType(plan.run.resources, "aws:iam/policy:Policy").filter((p) => p.inputs.name === "ai-assistant-boundary");
    expect(boundaries).toHaveLength(1);
    expect(JSON.parse(boundaries[0].inputs.policy as string)).toEqual(boundaryPolicy());
  });

  test("no kill switch on live assistants; every child is parented under its component", () => {
    expect(plan.run.resources.filter((r) => r.name.endsWith("kill-switch"))).toHaveLength(0);
    const role = named(plan.run.resources, "aws:iam/role:Role", "ai-oncall-agent-dev-aws-role");
    expect(role.urn).toBe(
      "urn:pulumi:dev::assistant-identities::assistant-identities:index:AssistantIdentity$assistant-identities:aws:AssistantRole$aws:iam/role:Role::ai-oncall-agent-dev-aws-role",
    );
    expect(role.parent).toMatch(/assistant-identities:aws:AssistantRole::ai-oncall-agent-dev-aws$/);
  });

  test("exports a versioned inventory with every assistant, identity and grant", () => {
    const inv = plan.run.outputs.inventory as any;
    expect(inv.schemaVersion).toBe("1.0.0");
    expect(inv.assistants.map((a: any) => a.name)).toEqual(["pr-reviewer", "oncall-agent", "data-assistant"]);
    const oncall = inv.assistants[1];
    expect(oncall.identities).toEqual([
      {
        cloud: "aws",
        kind: "aws-iam-role",
        id: "arn:aws:iam::111122223333:role/assistants/ai-oncall-agent-dev",
        issuer: "https://oidc.eks.eu-west-1.amazonaws.com/id/5C2B8E1F0A7D4B3C9E6F1A2B3C4D5E6F",
        subject: "system:serviceaccount:oncall:oncall-agent",
        audience: "sts.amazonaws.com",
        maxSessionSeconds: 3600,
        boundaryArn: "arn:aws:iam::111122223333:policy/assistants/ai-assistant-boundary",
      },
    ]);
    expect(oncall.access.find((x: any) => x.target === "sqs:remediation-requests-dev")).toEqual({
      system: "aws",
      target: "sqs:remediation-requests-dev",
      resources: ["arn:aws:sqs:eu-west-1:111122223333:remediation-requests-dev"],
      actions: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage"],
      expires: "2027-03-31",
    });
    expect(plan.run.outputs.awsRoleArns).toEqual({
      "pr-reviewer/dev": "arn:aws:iam::111122223333:role/assistants/ai-pr-reviewer-dev",
      "oncall-agent/dev": "arn:aws:iam::111122223333:role/assistants/ai-oncall-agent-dev",
      "data-assistant/dev": "arn:aws:iam::111122223333:role/assistants/ai-data-assistant-dev",
    });
  });
});
