import { TaskQueue } from '../assistance/TaskQueue';

/** /console/tasks — 帮扶任务: a department's queue (accept, record a delivery, decline). */
export function TasksPage() {
  return <TaskQueue />;
}
