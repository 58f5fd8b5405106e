import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from 'mongoose';
import { dropScratchDatabase, scratchDatabase } from '@shouwang/devstack';
import { HouseholdStore } from './household-store';
import { IdNumberBusy, IdNumberClaims } from './id-number-claims';

jest.setTimeout(120000);

/**
 * One household per ID number, on the real FerretDB of infra/local (whose conditional updates and
 * deletes are not exclusive: only inserts are). Households here are bare documents holding member
 * blind indexes; the claims decide who may hold a number.
 */
let conn: Connection;
let households: HouseholdStore;
/** A short grace so a dead writer's claim can be taken over within a test. */
const GRACE_MS = 1500;
let claims: IdNumberClaims;

beforeAll(async () => {
  conn = await scratchDatabase('claims');
  households = await HouseholdStore.open(conn);
  claims = await IdNumberClaims.open(conn, households, { graceMs: GRACE_MS, pendingWaitMs: 600 });
});

afterAll(() => dropScratchDatabase(conn));

const newIndex = () => `idx-${randomBytes(6).toString('hex')}`;
const newHousehold = () => `hh-${randomBytes(6).toString('hex')}`;

/** Writes (or rewrites) a bare household holding these numbers. */
async function hold(householdId: string, indexes: string[]): Promise<void> {
  await households.coll.replaceOne(
    { _id: householdId },
    {
      _id: householdId,
      areaCode: '360702001001',
      members: indexes.map((idNumberIndex) => ({ idNumberIndex })),
    } as never,
    { upsert: true },
  );
}

/** Claims, then writes the household: what registration does. */
async function register(householdId: string, indexes: string[]): Promise<string[]> {
  const conflicts = await claims.claim(indexes, householdId);
  if (conflicts.size === 0) await hold(householdId, indexes);
  return [...conflicts.values()].map((h) => h._id);
}

describe('IdNumberClaims', () => {
  it('gives a number to the first household, names it to the second, and is fine with the holder claiming again', async () => {
    const [a, b, n] = [newHousehold(), newHousehold(), newIndex()];
    expect(await register(a, [n])).toEqual([]);
    expect(await register(b, [n])).toEqual([a]);
    expect(await claims.claim([n], a)).toEqual(new Map());
    expect([...(await claims.holders([n])).values()].map((h) => h._id)).toEqual([a]);
  });

  it('claims nothing when one of several numbers is held elsewhere', async () => {
    const [a, b, n1, n2] = [newHousehold(), newHousehold(), newIndex(), newIndex()];
    await register(a, [n2]);
    expect(await register(b, [n1, n2])).toEqual([a]);
    // n1 was given up again: a third household gets it.
    expect(await register(newHousehold(), [n1])).toEqual([]);
  });

  it('lets a number move on once its household gives it up, as often as it moves', async () => {
    const n = newIndex();
    let previous = newHousehold();
    await register(previous, [n]);
    for (let move = 0; move < 4; move++) {
      const next = newHousehold();
      await hold(previous, []);
      await claims.release([n], previous);
      expect(await claims.holders([n])).toEqual(new Map());
      expect(await register(next, [n])).toEqual([]);
      previous = next;
    }
    expect([...(await claims.holders([n])).keys()]).toEqual([n]);
  });

  it('makes a claimant wait for a registration in progress, then names the household once it is written', async () => {
    const [a, b, n] = [newHousehold(), newHousehold(), newIndex()];
    expect(await claims.claim([n], a)).toEqual(new Map()); // a's household is not written yet
    const second = claims.claim([n], b);
    await sleep(250);
    await hold(a, [n]);
    expect([...(await second).values()].map((h) => h._id)).toEqual([a]);
  });

  it('refuses with IdNumberBusy while a registration stays in progress, and claims nothing', async () => {
    const [a, b, n, free] = [newHousehold(), newHousehold(), newIndex(), newIndex()];
    await claims.claim([n], a);
    await expect(claims.claim([free, n], b)).rejects.toBeInstanceOf(IdNumberBusy);
    // `free` was given up again when the claim failed.
    expect(await register(newHousehold(), [free])).toEqual([]);
  });

  it("takes over a dead writer's claim after the grace period", async () => {
    const [dead, b, n] = [newHousehold(), newHousehold(), newIndex()];
    await claims.claim([n], dead); // and never writes its household
    await sleep(GRACE_MS + 100);
    expect(await register(b, [n])).toEqual([]);
    expect([...(await claims.holders([n])).values()].map((h) => h._id)).toEqual([b]);
  });

  it('two claimants racing for a stale claim: exactly one gets the number (20 rounds)', async () => {
    const stale = new Map<string, string>();
    for (let round = 0; round < 20; round++) {
      const n = newIndex();
      const dead = newHousehold();
      await claims.claim([n], dead);
      stale.set(n, dead);
    }
    await sleep(GRACE_MS + 100);
    for (const n of stale.keys()) {
      const racers = [newHousehold(), newHousehold(), newHousehold()];
      const outcomes = await Promise.all(racers.map((h) => register(h, [n]).catch((e: Error) => e)));
      const winners = racers.filter((_h, i) => Array.isArray(outcomes[i]) && (outcomes[i] as string[]).length === 0);
      expect(winners).toHaveLength(1);
      // The others were told who holds it (or, if they looked before its household was written, to retry).
      for (const [i, o] of outcomes.entries()) {
        if (racers[i] === winners[0]) continue;
        if (o instanceof Error) expect(o).toBeInstanceOf(IdNumberBusy);
        else expect(o).toEqual(winners);
      }
      expect([...(await claims.holders([n])).values()].map((h) => h._id)).toEqual(winners);
    }
  });

  it('two claimants racing for a fresh number: exactly one gets it (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const n = newIndex();
      const racers = [newHousehold(), newHousehold()];
      const outcomes = await Promise.all(racers.map((h) => register(h, [n]).catch((e: Error) => e)));
      expect(outcomes.filter((o) => Array.isArray(o) && o.length === 0)).toHaveLength(1);
    }
  });

  it('reads claims written before generations existed (no time: a dead writer) and takes them over', async () => {
    const [legacy, b, n] = [newHousehold(), newHousehold(), newIndex()];
    await conn.collection('id_number_claims').insertOne({ _id: n, householdId: legacy } as never);
    expect(await register(b, [n])).toEqual([]);
    // A legacy claim whose household does hold the number still counts.
    const [held, c, m] = [newHousehold(), newHousehold(), newIndex()];
    await conn.collection('id_number_claims').insertOne({ _id: m, householdId: held } as never);
    await hold(held, [m]);
    expect(await register(c, [m])).toEqual([held]);
  });

  it('claims a batch in one write, leaving numbers claimed before to holders() and claim()', async () => {
    const [a, n1, n2] = [newHousehold(), newIndex(), newIndex()];
    await register(a, [n1]);
    const batch = newHousehold();
    const taken = await claims.claimMany([
      { index: n1, householdId: batch },
      { index: n2, householdId: batch },
    ]);
    expect([...taken]).toEqual([n2]);
  });
});
