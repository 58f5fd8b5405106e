import { assistanceV1 } from '@shouwang/contracts';
import type { AppError } from '@shouwang/kit';
import {
  addHousehold,
  auditor,
  cadre,
  componentEnv,
  countyOfficer,
  dropEnvironments,
  NO_LABOUR,
  person,
  TOWNSHIP,
  type ComponentEnv,
} from '../testing/component-env';
import { addListEntry, getPoints, recordPoints } from './record-points';

jest.setTimeout(120000);
afterAll(dropEnvironments);

const appError = (kind: string, code: string, more: object = {}) =>
  expect.objectContaining({ kind, code, ...more }) as unknown as AppError;

const record = (env: ComponentEnv, householdId: string, over: Partial<assistanceV1.RecordPointsRequest>, who = cadre) =>
  recordPoints(
    env.deps,
    who,
    assistanceV1.RecordPointsRequest.fromPartial({
      householdId,
      kind: 'earn',
      points: 10,
      reason: '参加村庄清洁',
      ...over,
    }),
  );

describe('the motivation points ledger (M8, 爱心超市)', () => {
  it('earns and spends; the balance never goes below zero; a retried request records once', async () => {
    const env = await componentEnv();
    const id = await addHousehold(env, [NO_LABOUR]);
    expect((await getPoints(env.deps, auditor, id)).balance).toBe(0);

    expect((await record(env, id, { points: 30, idempotencyKey: 'earn-1' })).balance).toBe(30);
    const again = await record(env, id, { points: 30, idempotencyKey: 'earn-1' });
    expect(again.balance).toBe(30);
    expect((await record(env, id, { kind: 'spend', points: 25, reason: '兑换大米' })).balance).toBe(5);
    await expect(record(env, id, { kind: 'spend', points: 6, reason: '兑换食用油' })).rejects.toEqual(
      appError('conflict', 'insufficient_points', { details: { balance: '5' } }),
    );

    const account = await getPoints(env.deps, countyOfficer, id);
    expect(account.balance).toBe(5);
    expect(account.entries.map((e) => [e.points, e.reason, e.recordedBy])).toEqual([
      [30, '参加村庄清洁', 'cadre.a'],
      [-25, '兑换大米', 'cadre.a'],
    ]);
    const audit = await env.deps.audit.list({ aggregateId: id }, { limit: 10 });
    expect(audit.entries.map((e) => e.action).reverse()).toEqual(['points.earned', 'points.spent']);
  });

  it('two spends racing for the same points: one is recorded, the balance stays at zero or above', async () => {
    const env = await componentEnv();
    const id = await addHousehold(env, [NO_LABOUR]);
    await record(env, id, { points: 10 });
    const results = await Promise.allSettled([
      record(env, id, { kind: 'spend', points: 8, reason: '兑换A' }),
      record(env, id, { kind: 'spend', points: 8, reason: '兑换B' }),
      record(env, id, { kind: 'spend', points: 8, reason: '兑换C' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected') as PromiseRejectedResult[])
      expect(r.reason).toEqual(appError('conflict', 'insufficient_points'));
    const account = (await env.deps.points.get(id))!;
    expect(account.balance).toBe(2);
    expect(account.entries.reduce((sum, e) => sum + e.points, 0)).toBe(2);
  });

  it('red and black list entries, with who and why', async () => {
    const env = await componentEnv();
    const id = await addHousehold(env, [NO_LABOUR]);
    const add = (list: string, reason: string) =>
      addListEntry(env.deps, cadre, assistanceV1.AddListEntryRequest.fromPartial({ householdId: id, list, reason }));
    await add('red', '主动发展庭院经济');
    await add('black', '婚丧事大操大办');
    await expect(add('grey', 'x')).rejects.toEqual(
      appError('invalid_argument', 'validation_failed', { field: 'list' }),
    );
    await expect(add('red', '')).rejects.toEqual(
      appError('invalid_argument', 'validation_failed', { field: 'reason' }),
    );
    const account = await getPoints(env.deps, cadre, id);
    expect(account.listEntries.map((e) => [e.list, e.reason, e.recordedBy])).toEqual([
      ['red', '主动发展庭院经济', 'cadre.a'],
      ['black', '婚丧事大操大办', 'cadre.a'],
    ]);
    expect(account.balance).toBe(0);
  });

  it('is recorded by the village cadre in scope only, with valid input', async () => {
    const env = await componentEnv();
    const id = await addHousehold(env, [NO_LABOUR]);
    const refusals: [Partial<assistanceV1.RecordPointsRequest>, AppError, typeof cadre?][] = [
      [{}, appError('permission_denied', 'forbidden'), countyOfficer],
      [{}, appError('not_found', 'household_not_found'), person('village_cadre', `${TOWNSHIP}999`, 'cadre.b')],
      [{ householdId: 'no-such-household' }, appError('not_found', 'household_not_found')],
      [{ points: 0 }, appError('invalid_argument', 'validation_failed', { field: 'points' })],
      [{ points: 1.5 }, appError('invalid_argument', 'validation_failed', { field: 'points' })],
      [{ kind: 'give' }, appError('invalid_argument', 'validation_failed', { field: 'kind' })],
      [{ reason: '' }, appError('invalid_argument', 'validation_failed', { field: 'reason' })],
      [{ idempotencyKey: 'has space' }, appError('invalid_argument', 'validation_failed', { field: 'idempotencyKey' })],
    ];
    for (const [req, error, who] of refusals) await expect(record(env, id, req, who)).rejects.toEqual(error);
    expect(await env.deps.points.get(id)).toBeNull();
  });
});
