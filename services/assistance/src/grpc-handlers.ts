import type { Metadata } from '@grpc/grpc-js';
import type { assistanceV1 } from '@shouwang/contracts';
import { identityFrom, type UnaryHandlers } from '@shouwang/kit';
import type { AssistanceDeps } from './assistance-deps';
import { listMeasures, updateMeasure } from './catalogue/update-measure';
import { measureToWire } from './catalogue/measure-wire';
import { changePlan, getPlan } from './plans/change-plan';
import { planToWire } from './plans/plan-wire';
import { decideProposal } from './plans/proposals';
import { addListEntry, getPoints, recordPoints } from './points/record-points';
import type { ListEntryDoc, PointsEntryDoc } from './points/points-store';
import { actOnTask } from './tasks/act-on-task';
import { getTask, listTasks } from './tasks/list-tasks';
import { taskToWire } from './tasks/task-wire';

const pointsEntryToWire = (householdId: string, e: PointsEntryDoc): assistanceV1.PointsEntry => ({
  id: e.id,
  householdId,
  points: e.points,
  reason: e.reason,
  recordedBy: e.recordedBy,
  at: e.at,
});

const listEntryToWire = (householdId: string, e: ListEntryDoc): assistanceV1.ListEntry => ({
  id: e.id,
  householdId,
  list: e.list,
  reason: e.reason,
  recordedBy: e.recordedBy,
  at: e.at,
});

/** The gRPC AssistanceService: every call checks who is calling, what they may do and where. */
export function assistanceHandlers(
  deps: AssistanceDeps,
  identitySecret: string,
): UnaryHandlers<assistanceV1.AssistanceServiceServer> {
  const who = (ctx: { metadata: Metadata }) => identityFrom(identitySecret, ctx.metadata);
  const today = () => deps.clock.today();
  return {
    listMeasures: async (_req, ctx) => ({
      measures: (await listMeasures(deps, await who(ctx))).map(measureToWire),
    }),
    updateMeasure: async (req, ctx) => ({ measure: measureToWire(await updateMeasure(deps, await who(ctx), req)) }),
    getPlan: async (req, ctx) => ({ plan: planToWire(await getPlan(deps, await who(ctx), req.householdId)) }),
    changePlan: async (req, ctx) => ({ plan: planToWire(await changePlan(deps, await who(ctx), req)) }),
    decideProposal: async (req, ctx) => ({ plan: planToWire(await decideProposal(deps, await who(ctx), req)) }),
    listTasks: async (req, ctx) => {
      const page = await listTasks(deps, await who(ctx), req);
      return {
        tasks: page.docs.map((t) => taskToWire(t, today())),
        nextPageToken: page.nextPageToken,
        total: page.total,
      };
    },
    getTask: async (req, ctx) => ({ task: taskToWire(await getTask(deps, await who(ctx), req.id), today()) }),
    actOnTask: async (req, ctx) => ({ task: taskToWire(await actOnTask(deps, await who(ctx), req), today()) }),
    getPoints: async (req, ctx) => {
      const account = await getPoints(deps, await who(ctx), req.householdId);
      return {
        // Newest first.
        entries: [...account.entries].reverse().map((e) => pointsEntryToWire(account._id, e)),
        balance: account.balance,
        listEntries: [...account.listEntries].reverse().map((e) => listEntryToWire(account._id, e)),
      };
    },
    recordPoints: async (req, ctx) => {
      const { entry, balance } = await recordPoints(deps, await who(ctx), req);
      return { entry: pointsEntryToWire(req.householdId, entry), balance };
    },
    addListEntry: async (req, ctx) => ({
      entry: listEntryToWire(req.householdId, await addListEntry(deps, await who(ctx), req)),
    }),
  };
}
