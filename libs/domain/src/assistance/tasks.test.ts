import { nextTaskState, taskActions, taskIsOverdue, TASK_STATES } from './tasks';

describe('department task lifecycle', () => {
  it.each([
    ['open', 'accept', 'accepted'],
    ['open', 'decline', 'declined'],
    ['open', 'deliver', null],
    ['accepted', 'deliver', 'delivered'],
    ['accepted', 'decline', 'declined'],
    ['accepted', 'accept', null],
    ['delivered', 'deliver', 'delivered'],
    ['delivered', 'decline', null],
    ['declined', 'accept', null],
    ['closed', 'deliver', null],
    ['open', 'nonsense', null],
  ] as const)('%s --%s--> %s', (state, action, expected) => {
    expect(nextTaskState(state, action)).toBe(expected);
  });

  it('lists the actions of each state consistently with the transitions', () => {
    for (const s of TASK_STATES) for (const a of taskActions(s)) expect(nextTaskState(s, a)).not.toBeNull();
  });

  it.each([
    ['open', '2021-07-10', '2021-07-10', false],
    ['open', '2021-07-10', '2021-07-11', true],
    ['accepted', '2021-07-10', '2021-07-11', true],
    ['delivered', '2021-07-10', '2021-08-11', false],
    ['declined', '2021-07-10', '2021-08-11', false],
    ['closed', '2021-07-10', '2021-08-11', false],
  ] as const)('%s due %s on %s overdue: %s', (state, dueOn, today, expected) => {
    expect(taskIsOverdue(state, dueOn, today)).toBe(expected);
  });
});
