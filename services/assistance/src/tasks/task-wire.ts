import type { assistanceV1 } from '@shouwang/contracts';
import { taskActions, taskIsOverdue } from '@shouwang/domain';
import type { DeliveryDoc, TaskDoc } from './task-store';

export function deliveryToWire(d: DeliveryDoc): assistanceV1.Delivery {
  return {
    deliveredOn: d.deliveredOn,
    amountYuan: d.amountYuan ?? undefined,
    note: d.note,
    recordedBy: d.recordedBy,
    recordedAt: d.recordedAt,
  };
}

/** The wire task; `overdue` and the allowed actions are judged on `today`. */
export function taskToWire(t: TaskDoc, today: string): assistanceV1.Task {
  return {
    id: t._id,
    householdId: t.householdId,
    areaCode: t.areaCode,
    headName: t.headName,
    measureCode: t.measureCode,
    department: t.department,
    state: t.state,
    startsOn: t.startsOn,
    dueOn: t.dueOn,
    overdue: taskIsOverdue(t.state, t.dueOn, today),
    deliveries: t.deliveries.map(deliveryToWire),
    declineReason: t.declineReason,
    closedReason: t.closedReason,
    createdAt: t.createdAt,
    version: t.version,
    allowedActions: taskActions(t.state),
  };
}
