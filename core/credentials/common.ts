/** What every static-credential plan shares, whatever store holds the value. Pure. */
import type { StaticCredential } from "../spec/credentials";
import { exceptionExpired } from "../spec/credentials";
import { rotationSchedule, type RotationSchedule } from "./schedule";

export interface CredentialPlanBase {
  id: string;
  system: string;
  /** `team <contact>`. */
  owner: string;
  justification: string;
  exceptionExpires: string;
  /** 00:00Z of the earlier of the exception's end and the assistant's expiry. */
  accessEndsAt: string;
  rotationDays: number;
  schedule: RotationSchedule;
  revoked: boolean;
  exceptionExpired: boolean;
  /** Reads are denied: revoked, or the exception has ended. */
  disabled: boolean;
}

export const instant = (day: string) => `${day}T00:00:00Z`;

/** The last day access may last: the earlier of the exception's end and the assistant's expiry. */
export function accessEndDay(c: Pick<StaticCredential, "exceptionExpires">, assistant: { expires: string }): string {
  return c.exceptionExpires <= assistant.expires ? c.exceptionExpires : assistant.expires;
}

export function credentialPlanBase(
  c: StaticCredential,
  assistant: { expires: string; revoked: boolean },
  now: Date,
  scheduleOpts?: Parameters<typeof rotationSchedule>[2],
): CredentialPlanBase {
  const expired = exceptionExpired(c, now);
  return {
    id: c.id,
    system: c.system,
    owner: `${c.owner.team} <${c.owner.contact}>`,
    justification: c.justification,
    exceptionExpires: c.exceptionExpires,
    accessEndsAt: instant(accessEndDay(c, assistant)),
    rotationDays: c.rotationDays,
    schedule: rotationSchedule(c.rotationDays, now, scheduleOpts),
    revoked: assistant.revoked,
    exceptionExpired: expired,
    disabled: assistant.revoked || expired,
  };
}
