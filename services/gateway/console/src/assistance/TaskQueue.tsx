// /console/tasks — 帮扶任务: a department's work queue inside the user's area. A department officer sees
// their own department's tasks (accept, record a delivery, decline); everyone else reads the queue of
// the department they choose (or all). Filters: area, state, overdue only; they live in the address.
import { useState } from 'react';
import { Alert, App, Button, Checkbox, Flex, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { can, DEPARTMENTS, TASK_STATES, type TaskState } from '@shouwang/domain';
import { listMeasures, listTasks, type Task } from '../api/assistance';
import { areaPath } from '../areas';
import { useUser } from '../auth/AuthContext';
import { AreaCascader } from '../components/AreaCascader';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { currentLanguage, useMessages } from '../i18n';
import { navEntry, navLabel } from '../navigation';
import { deliveredSum, queueDepartment } from './assistanceModel';
import { departmentLabel, measureTitle, taskActionLabel, taskStateColor, taskStateLabel, yuanText } from './labels';
import { TaskActions, TaskFailureAlert } from './TaskActions';
import { KeysetPager, useListFilters } from '../components/KeysetPager';

const PAGE_SIZE = 20;
const NOWRAP = { whiteSpace: 'nowrap' } as const;

export function TaskQueue() {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const user = useUser();
  const { message } = App.useApp();
  const officer = user.role === 'department_officer';
  const mayOpenHousehold = can(user.role, 'households.read');

  const { params, pages, setFilters } = useListFilters();
  const department = queueDepartment(user, params.get('department'));
  const stateParam = params.get('state');
  const state = (TASK_STATES as readonly string[]).includes(stateParam ?? '') ? (stateParam as TaskState) : undefined;
  const overdue = params.get('overdue') === '1';
  const areaCode = params.get('area') ?? user.areaCode;
  const pageToken = pages.pageToken;

  const catalogue = useLoad(listMeasures, []);
  const page = useLoad(
    () =>
      officer && !department
        ? Promise.resolve({ tasks: [], total: 0 })
        : listTasks({ department, areaCode, state, overdue, pageSize: PAGE_SIZE, pageToken }),
    [department, areaCode, state, overdue, pageToken],
  );
  // Tasks acted on here, shown as the server answered until the queue is loaded again.
  const [changed, setChanged] = useState<Map<string, Task>>(new Map());
  const [failure, setFailure] = useState<unknown>(null);
  const rows = (page.data?.tasks ?? []).map((task) => changed.get(task.id) ?? task);
  const measureOf = (code: string) => catalogue.data?.find((x) => x.code === code);

  const setFilter = (values: Record<string, string | undefined>) => {
    setChanged(new Map());
    setFailure(null);
    setFilters(values);
  };
  const reload = () => {
    setChanged(new Map());
    setFailure(null);
    page.reload();
  };

  return (
    <div data-testid="page-tasks" data-department={department} data-state={state ?? ''}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {navLabel(navEntry('tasks'), lang)}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={page.loading} data-testid="tasks-refresh">
          {t('common.refresh')}
        </Button>
      </Flex>

      {officer && !department && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('assistance.tasks.noDepartment')}
          data-testid="tasks-no-department"
        />
      )}

      <Flex wrap gap={12} align="center" style={{ marginBottom: 16 }}>
        {officer ? (
          <Space size={4}>
            <Typography.Text type="secondary">{t('assistance.tasks.myDepartment')}</Typography.Text>
            <Tag color="blue" data-testid="tasks-department">
              {departmentLabel(m, department)}
            </Tag>
          </Space>
        ) : (
          <Select
            value={department || ''}
            onChange={(d: string) => setFilter({ department: d || undefined })}
            style={{ minWidth: 200 }}
            showSearch
            optionFilterProp="label"
            options={[
              { value: '', label: t('assistance.tasks.allDepartments') },
              ...DEPARTMENTS.map((d) => ({ value: d, label: departmentLabel(m, d) })),
            ]}
            data-testid="tasks-department-filter"
          />
        )}
        <AreaCascader
          scope={user.areaCode}
          value={areaCode}
          onChange={(code) => setFilter({ area: code && code !== user.areaCode ? code : undefined })}
          style={{ minWidth: 240 }}
          data-testid="tasks-area-filter"
        />
        <Select
          value={state ?? ''}
          onChange={(s: string) => setFilter({ state: s || undefined })}
          style={{ minWidth: 140 }}
          options={[
            { value: '', label: t('assistance.tasks.allStates') },
            ...TASK_STATES.map((s) => ({ value: s, label: taskStateLabel(m, s) })),
          ]}
          data-testid="tasks-state-filter"
        />
        <Checkbox
          checked={overdue}
          onChange={(e) => setFilter({ overdue: e.target.checked ? '1' : undefined })}
          data-testid="tasks-overdue-filter"
        >
          {t('assistance.tasks.overdueOnly')}
        </Checkbox>
      </Flex>

      <ErrorAlert error={page.error ?? catalogue.error} />
      <TaskFailureAlert error={failure} onReload={reload} />
      <Table<Task>
        data-testid="tasks-table"
        rowKey="id"
        size="middle"
        loading={page.loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('assistance.tasks.empty') }}
        scroll={{ x: 'max-content' }}
        onRow={(task) =>
          ({
            'data-state': task.state,
            'data-household': task.householdId,
            'data-measure': task.measureCode,
            'data-department': task.department,
            'data-overdue': task.overdue,
          }) as object
        }
        columns={[
          {
            title: t('assistance.tasks.head'),
            key: 'head',
            render: (_, task) =>
              mayOpenHousehold ? (
                <Link
                  to={`/households/${encodeURIComponent(task.householdId)}?tab=plan`}
                  style={NOWRAP}
                  data-testid="task-head"
                >
                  {task.headName || task.householdId}
                </Link>
              ) : (
                <span style={NOWRAP} data-testid="task-head">
                  {task.headName || task.householdId}
                </span>
              ),
          },
          {
            title: t('assistance.tasks.village'),
            key: 'village',
            render: (_, task) => areaPath(task.areaCode) ?? task.areaCode,
          },
          {
            title: t('assistance.tasks.measure'),
            key: 'measure',
            render: (_, task) => (
              <span data-testid="task-measure">{measureTitle(task.measureCode, catalogue.data, lang)}</span>
            ),
          },
          ...(officer
            ? []
            : [
                {
                  title: t('assistance.tasks.department'),
                  key: 'department',
                  render: (_: unknown, task: Task) => departmentLabel(m, task.department),
                },
              ]),
          {
            title: `${t('assistance.tasks.startsOn')} / ${t('assistance.tasks.dueOn')}`,
            key: 'dates',
            render: (_, task) => (
              <Space size={4} style={NOWRAP}>
                <span data-testid="task-dates">
                  {task.startsOn} → {task.dueOn}
                </span>
                {task.overdue && (
                  <Tag color="red" data-testid="task-overdue">
                    {t('assistance.tasks.overdue')}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t('assistance.tasks.state'),
            key: 'state',
            render: (_, task) => {
              const why = task.declineReason || task.closedReason;
              const tag = (
                <Tag color={taskStateColor(task.state)} data-testid="task-state">
                  {taskStateLabel(m, task.state)}
                </Tag>
              );
              return why ? <Tooltip title={why}>{tag}</Tooltip> : tag;
            },
          },
          {
            title: t('assistance.tasks.deliveries'),
            key: 'deliveries',
            render: (_, task) => <Deliveries task={task} />,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, task) => (
              <TaskActions
                task={task}
                measure={measureOf(task.measureCode)}
                onChanged={(next, action) => {
                  setChanged((all) => new Map(all).set(next.id, next));
                  void message.success(t('assistance.tasks.done', { action: taskActionLabel(m, action) }));
                }}
                onFailure={setFailure}
              />
            ),
          },
        ]}
      />
      <KeysetPager pages={pages} loaded={page} testId="tasks" />
    </div>
  );
}

/** The deliveries of a task: how many and how much, each one (date, amount, note, who) on hover. */
function Deliveries({ task }: { task: Task }) {
  const { t } = useTranslation();
  const m = useMessages();
  if (task.deliveries.length === 0)
    return (
      <Typography.Text type="secondary" data-testid="task-deliveries" data-count={0}>
        {t('assistance.tasks.noDeliveries')}
      </Typography.Text>
    );
  const sum = deliveredSum(task.deliveries);
  const detail = (
    <div>
      {task.deliveries.map((d, i) => (
        <div key={i}>
          {d.deliveredOn}
          {typeof d.amountYuan === 'number' ? ` · ${yuanText(m, d.amountYuan)}` : ''}
          {d.note ? ` · ${d.note}` : ''} · {d.recordedBy}
        </div>
      ))}
    </div>
  );
  return (
    <Tooltip title={detail}>
      <span style={NOWRAP} data-testid="task-deliveries" data-count={sum.count} data-amount={sum.amountYuan}>
        {sum.lastOn}
        {sum.withAmount ? ` · ${yuanText(m, sum.amountYuan)}` : ''}
        {sum.count > 1 ? ` · ${t('assistance.tasks.deliveryCount', { count: sum.count })}` : ''}
      </span>
    </Tooltip>
  );
}
