import { randomBytes } from 'node:crypto';
import { syntheticIdNumber } from '@shouwang/domain/testing';
import { call, postHousehold, waitFor, type Json } from './support';

/** The demo village cadre's village, in the demo county 于都县 (360731). */
export const VILLAGE = '360731101201';
let next = randomBytes(1)[0] % 100;
/** The date `days` days after a YYYY-MM-DD date. */
const plusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400000).toISOString().slice(0, 10);

/**
 * A two-person household (head aged ~45, child aged ~10 in primary school), income well above the line,
 * every fact known, so it raises no warning until a test changes one.
 */
export function family(extra: Record<string, unknown> = {}) {
  // Distinct birth dates keep the synthetic ID numbers distinct (their sequence number has two digits).
  next++;
  const headBirth = plusDays('1980-01-01', next);
  const childBirth = plusDays(`${new Date().getUTCFullYear() - 11}-01-01`, next % 300);
  const head = syntheticIdNumber(next % 100, headBirth);
  const child = syntheticIdNumber(next % 100, childBirth);
  return {
    ids: { head, child },
    body: {
      areaCode: VILLAGE,
      address: `于都县测试村${next}号`,
      povertyStatus: 'none',
      members: [
        {
          name: '户主',
          relation: 'head',
          idNumber: head,
          birthDate: headBirth,
          labour: 'ordinary',
          mainLabour: true,
          employed: true,
          health: 'healthy',
        },
        {
          name: '孩子',
          relation: 'child',
          idNumber: child,
          birthDate: childBirth,
          labour: 'none',
          inSchool: true,
          education: 'primary',
          health: 'healthy',
        },
      ],
      income: { year: 2021, wage: 40000, business: 0, property: 0, transfer: 0 },
      industry: { covered: true, failedDueToForceMajeure: false },
      drinkingWaterSafe: true,
      medicalInsuranceEnrolled: true,
      ...extra,
    },
  };
}

/** Registers the household and waits until monitoring has assessed it; returns its id. */
export async function registerAndAssess(gatewayUrl: string, body: unknown): Promise<string> {
  const res = await postHousehold(gatewayUrl, body);
  if (res.status !== 201) throw new Error(`registration answered ${res.status}: ${JSON.stringify(res.body)}`);
  const id = res.body.household.id as string;
  await waitFor(
    `monitoring to assess household ${id}`,
    async () => {
      const r = await call(gatewayUrl, 'county.yudu', 'GET', `/households/${id}/assessment`);
      return r.status === 200 ? r.body : undefined;
      // Generous: a monitoring consumer group new to this Kafka first reads the topics' whole history.
    },
    120000,
  );
  return id;
}

/** The household's warnings (any status) as county.yudu sees them. */
export async function warningsOf(gatewayUrl: string, householdId: string): Promise<Json[]> {
  const r = await call(gatewayUrl, 'county.yudu', 'GET', `/warnings?householdId=${householdId}&pageSize=200`);
  if (r.status !== 200) throw new Error(`warnings answered ${r.status}: ${JSON.stringify(r.body)}`);
  return r.body.warnings as Json[];
}

/** Waits until the household has a warning for the cause matching the predicate. */
export function waitForWarning(
  gatewayUrl: string,
  householdId: string,
  cause: string,
  ok: (w: Json) => boolean = () => true,
): Promise<Json> {
  return waitFor(`a ${cause} warning of household ${householdId}`, async () =>
    (await warningsOf(gatewayUrl, householdId)).find((w) => w.cause === cause && ok(w)),
  );
}
