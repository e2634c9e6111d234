/**
 * Pins core/findings.ts's UnknownInput: its name and message are what the gate's unknown-value
 * handling and error output show when a value cannot be read at preview.
 */
import { UnknownInput } from "../../core/findings";

test("UnknownInput carries what is unknown, a readable message and its own name", () => {
  const e = new UnknownInput("policy.Statement[0].Resource");
  expect(e).toBeInstanceOf(Error);
  expect(e.what).toBe("policy.Statement[0].Resource");
  expect(e.message).toBe("policy.Statement[0].Resource is not known yet");
  expect(e.name).toBe("UnknownInput");
  expect(String(e)).toBe("UnknownInput: policy.Statement[0].Resource is not known yet");
});
