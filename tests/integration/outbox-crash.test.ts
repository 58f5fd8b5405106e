import type { Connection } from 'mongoose';
import { topics } from '@shouwang/contracts';
import { decodeEnvelope, processedEventsCollection } from '@shouwang/kit';
import { minimalHousehold } from '@shouwang/domain/testing';
import { ServiceProcess } from '@shouwang/devstack';
import { connectDb, findMessage, postHousehold, startTestPlatform, villageCount, waitFor } from './support';

jest.setTimeout(180000);

/**
 * ARCHITECTURE.md: "no lost event if the process dies between the database write and the publish".
 * The identification process SIGKILLs itself at the injected point; a clean restart must deliver the
 * event to reporting exactly once.
 */
describe.each([
  ['after the database write, before the publish', 'crash-after-write', '360732101201'],
  ['after the publish, before the outbox entry is removed', 'crash-after-publish', '360732101202'],
])('identification killed %s', (_when, fault, village) => {
  let env: Awaited<ReturnType<typeof startTestPlatform>>;
  let identificationDb: Connection;
  let reportingDb: Connection;

  beforeAll(async () => {
    // The killed process leaves its consumer group only when its session times out, and its outbox lease
    // when that runs out: the restart waits for both, so both are kept short here.
    env = await startTestPlatform(`outbox-${fault}`, {
      env: { identification: { FAULT_INJECTION: fault, KAFKA_SESSION_TIMEOUT_MS: '6000', OUTBOX_LEASE_MS: '3000' } },
    });
    identificationDb = await connectDb(`shouwang_identification${env.dbSuffix}`);
    reportingDb = await connectDb(`shouwang_reporting${env.dbSuffix}`);
  });
  afterAll(async () => {
    await identificationDb?.close();
    await reportingDb?.close();
    await env?.platform.stop();
  });

  it('delivers the event exactly once after a restart', async () => {
    const identification = env.platform.services.identification;
    const res = await postHousehold(env.platform.gatewayUrl, minimalHousehold({ areaCode: village }));
    // Killed before it could answer, the write is not acknowledged; killed by the relay after the
    // publish, the answer may or may not have left first.
    expect(fault === 'crash-after-write' ? [503] : [201, 503]).toContain(res.status);
    expect(await identification.waitExit(30000)).toBe(-1); // killed by SIGKILL
    const stored = await identificationDb.collection('households').findOne({ areaCode: village });
    expect(stored).not.toBeNull();
    // The event waits in the household's commit of version 1 (VersionedWrites), not in the household.
    const commit = () =>
      identificationDb.collection('household_commits').findOne({ aggregate: `household:${String(stored!._id)}` });
    expect(await commit()).toMatchObject({ version: 1, _outboxPending: true });

    const { FAULT_INJECTION: _dropped, ...cleanEnv } = identification.env;
    const restarted = new ServiceProcess('identification', cleanEnv, identification.logFile).start();
    env.platform.services.identification = restarted;
    await restarted.waitReady();

    await waitFor('reporting to count the household', async () =>
      (await villageCount(env.platform.gatewayUrl, village)) === 1 ? true : undefined,
    );
    const householdId = String(stored!._id);
    const eventId = await findMessage(topics.identificationHousehold, (v) => {
      try {
        const e = decodeEnvelope(v);
        return e.subject === householdId ? e.id : undefined;
      } catch {
        return undefined;
      }
    });
    await waitFor('the outbox to drain', async () => {
      const doc = await commit();
      return doc && !doc._outboxPending && (doc._outbox as unknown[]).length === 0 ? true : undefined;
    });
    // Give a possible duplicate time to arrive, then check the effect happened once.
    await new Promise((r) => setTimeout(r, 2000));
    expect(await villageCount(env.platform.gatewayUrl, village)).toBe(1);
    expect(
      await reportingDb
        .collection(processedEventsCollection)
        .countDocuments({ _id: `reporting${env.dbSuffix}:${eventId}` } as never),
    ).toBe(1);
  });
});
