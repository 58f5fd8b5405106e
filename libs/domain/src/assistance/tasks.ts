/**
 * A department's task for one measure of a plan: open → accepted → delivered, or declined with a
 * reason; closed when the household exits (with the exit reason). Overdue: not delivered, declined or
 * closed when the due date has passed.
 */
export const TASK_STATES = ['open', 'accepted', 'delivered', 'declined', 'closed'] as const;
export type TaskState = (typeof TASK_STATES)[number];
export const TASK_ACTIONS = ['accept', 'deliver', 'decline'] as const;
export type TaskAction = (typeof TASK_ACTIONS)[number];

const NEXT: Record<TaskState, Partial<Record<TaskAction, TaskState>>> = {
  open: { accept: 'accepted', decline: 'declined' },
  accepted: { deliver: 'delivered', decline: 'declined' },
  // A measure delivered in instalments (a yearly subsidy, a semester's aid) is delivered again.
  delivered: { deliver: 'delivered' },
  declined: {},
  closed: {},
};

export function taskActions(state: TaskState): TaskAction[] {
  return Object.keys(NEXT[state]) as TaskAction[];
}

export function nextTaskState(state: TaskState, action: string): TaskState | null {
  return NEXT[state][action as TaskAction] ?? null;
}

/** Tasks still to be worked: they close on exit and can be overdue. */
export function taskIsOpen(state: TaskState): boolean {
  return state === 'open' || state === 'accepted';
}

/** Overdue: still to be worked (open or accepted) after its due day. */
export function taskIsOverdue(state: TaskState, dueOn: string, today: string): boolean {
  return taskIsOpen(state) && today > dueOn;
}
