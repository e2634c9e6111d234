/** A valid static credential to mutate in tests. */
const LAMBDA = "arn:aws:lambda:eu-west-1:111122223333:function:rotate-billing";
const ROT_ROLE = "arn:aws:iam::111122223333:role/secret-rotation";

export function credential(over: Record<string, unknown> = {}): any {
  return {
    id: "legacy-billing",
    system: "legacy-billing-api",
    owner: { team: "payments", contact: "payments@acme.example" },
    justification: "The on-premise billing API accepts only a static API key (vendor roadmap: OIDC in 2027).",
    exceptionExpires: "2027-03-01",
    store: { kind: "aws-secretsmanager", rotationLambdaArn: LAMBDA, rotationRoleArn: ROT_ROLE },
    ...over,
  };
}

