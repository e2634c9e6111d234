/**
 * Pulumi entry point. The program is a function (Pulumi calls an exported function and uses its
 * result as the stack outputs), so the offline planner and the tests can run it again and again.
 */
import { program } from "./components/program";

export = program;
