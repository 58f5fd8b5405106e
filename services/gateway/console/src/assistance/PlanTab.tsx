// 帮扶计划 on the household page: the plan the assistance service made from the household's causes
// (缺什么补什么: policy measures first, the insurance backstop last), each measure with its status and
// what the departments' tasks delivered; the measures the causes call for but the conditions rule out;
// the changes a re-assessment proposes (accept or reject); and for the county officer or the village
// cadre add / drop (with a reason) / adjust a measure, over the plan's version.
import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Modal,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { can, type MeasureCode } from '@shouwang/domain';
import {
  changePlan,
  decideProposal,
  getPlan,
  householdTasks,
  listMeasures,
  type Measure,
  type Plan,
  type PlanChange,
  type PlanMeasure,
  type PlanOperation,
  type PlanProposal,
} from '../api/assistance';
import { ApiError } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { categoryLabel } from '../cases/labels';
import { DateInput } from '../components/DateInput';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { currentLanguage, useMessages } from '../i18n';
import { causeLabel } from '../warnings/causes';
import { addableMeasures, amountProblem, planRows, sortedProposals, type PlanRow } from './assistanceModel';
import {
  conditionLabel,
  departmentLabel,
  kindLabel,
  measureStatusLabel,
  measureTitle,
  proposalStatusLabel,
  taskStateColor,
  taskStateLabel,
  yuanText,
} from './labels';
import { handOnTo, itemsNamed, useDialogSubmit } from '../components/useDialogSubmit';

/** The change dialog open now: add (any addable measure), or drop / adjust one measure of the plan. */
type Changing = { operation: 'add' } | { operation: 'drop' | 'adjust'; measure: PlanMeasure };

export function PlanTab({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const user = useUser();
  const { message } = App.useApp();
  const mayManage = can(user.role, 'assistance.plan.manage');

  const loaded = useLoad(() => getPlan(householdId), [householdId]);
  const catalogue = useLoad(listMeasures, []);
  // The plan as the last change here answered, or as loaded, whichever is newer.
  const [plan, setPlan] = useState<Plan | null>(null);
  useEffect(() => {
    if (loaded.data) setPlan(loaded.data);
  }, [loaded.data]);
  const tasks = useLoad(
    () => (plan ? householdTasks(householdId) : Promise.resolve([])),
    [householdId, plan?.version ?? 0],
  );
  const [changing, setChanging] = useState<Changing | null>(null);
  const [deciding, setDeciding] = useState<{ proposal: PlanProposal; accept: boolean } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);

  const reload = () => {
    setFailure(null);
    loaded.reload();
    tasks.reload();
  };
  const changed = (next: Plan, text: string) => {
    setFailure(null);
    setPlan(next);
    void message.success(text);
  };

  if (loaded.error instanceof ApiError && loaded.error.status === 404)
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description={<span data-testid="plan-none">{t('assistance.plan.none')}</span>}
      />
    );
  if (loaded.error && !plan) return <ErrorAlert error={loaded.error} />;
  if (!plan) return <Spin />;

  const active = plan.status === 'active';
  const rows = planRows(plan, tasks.data ?? []);
  const proposals = sortedProposals(plan.proposals);
  const stale = failure instanceof ApiError && failure.status === 412;

  return (
    <div data-testid="plan" data-version={plan.version} data-status={plan.status}>
      <Flex justify="space-between" align="start" style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={{ xs: 1, md: 2, lg: 3 }} style={{ flex: 1 }}>
          <Descriptions.Item label={t('assistance.plan.status')}>
            <Tag color={active ? 'green' : 'default'} data-testid="plan-status">
              {t(`assistance.plan.statuses.${plan.status}`)}
            </Tag>
            <Typography.Text type="secondary">
              {t('assistance.plan.version', { version: plan.version })}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('assistance.plan.causes')}>
            <span data-testid="plan-causes">{plan.causes.map((c) => causeLabel(c, lang)).join('；')}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('assistance.plan.category')}>{categoryLabel(m, plan.category)}</Descriptions.Item>
          <Descriptions.Item label={t('assistance.plan.policyStart')}>
            <span data-testid="plan-policy-start">{plan.policyStartDate}</span>
          </Descriptions.Item>
          {plan.closedReason && (
            <Descriptions.Item label={t('assistance.plan.closedReason')}>
              <span data-testid="plan-closed-reason">{plan.closedReason}</span>
            </Descriptions.Item>
          )}
        </Descriptions>
        <Space>
          {mayManage && active && (
            <Button
              icon={<PlusOutlined />}
              onClick={() => setChanging({ operation: 'add' })}
              data-testid="plan-add"
              disabled={!catalogue.data}
            >
              {t('assistance.plan.add')}
            </Button>
          )}
          <Button icon={<ReloadOutlined />} onClick={reload} loading={loaded.loading || tasks.loading}>
            {t('common.refresh')}
          </Button>
        </Space>
      </Flex>

      <ErrorAlert error={tasks.error ?? catalogue.error} />
      {failure !== null &&
        (stale ? (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('assistance.plan.conflict')}
            action={
              <Button size="small" onClick={reload} data-testid="plan-reload">
                {t('assistance.plan.reload')}
              </Button>
            }
            data-testid="plan-error"
            data-status={412}
          />
        ) : (
          <ErrorAlert error={failure} testId="plan-error" />
        ))}

      {proposals.length > 0 && (
        <Card size="small" title={t('assistance.plan.proposals')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('assistance.plan.proposalNote')}</Typography.Paragraph>
          <List
            dataSource={proposals}
            data-testid="plan-proposals"
            renderItem={(p) => (
              <List.Item
                data-testid="plan-proposal"
                data-status={p.status}
                actions={
                  mayManage && active && p.status === 'open'
                    ? [
                        <Button
                          key="accept"
                          type="primary"
                          size="small"
                          onClick={() => setDeciding({ proposal: p, accept: true })}
                          data-testid="proposal-accept"
                        >
                          {t('assistance.plan.accept')}
                        </Button>,
                        <Button
                          key="reject"
                          size="small"
                          onClick={() => setDeciding({ proposal: p, accept: false })}
                          data-testid="proposal-reject"
                        >
                          {t('assistance.plan.reject')}
                        </Button>,
                      ]
                    : []
                }
              >
                <Space direction="vertical" size={2}>
                  <Space wrap>
                    <Tag color={p.status === 'open' ? 'orange' : 'default'}>{proposalStatusLabel(m, p.status)}</Tag>
                    {p.add.length > 0 && (
                      <span data-testid="proposal-add">
                        {t('assistance.plan.proposalAdd')}：
                        {p.add.map((c) => measureTitle(c, catalogue.data, lang)).join('；')}
                      </span>
                    )}
                    {p.drop.length > 0 && (
                      <span data-testid="proposal-drop">
                        {t('assistance.plan.proposalDrop')}：
                        {p.drop.map((c) => measureTitle(c, catalogue.data, lang)).join('；')}
                      </span>
                    )}
                  </Space>
                  <Typography.Text type="secondary">
                    {t('assistance.plan.features')}：{p.features.join('、') || t('common.none')} ·{' '}
                    {t('assistance.plan.raisedAt')} {p.raisedAt.slice(0, 10)}
                    {p.decidedBy ? ` · ${t('assistance.plan.decidedBy')} ${p.decidedBy}` : ''}
                    {p.note ? ` · ${p.note}` : ''}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}

      <Typography.Title level={5}>{t('assistance.plan.measures')}</Typography.Title>
      <Table<PlanRow>
        data-testid="plan-measures"
        rowKey="code"
        size="small"
        dataSource={rows}
        pagination={false}
        loading={tasks.loading && !tasks.data}
        scroll={{ x: 'max-content' }}
        onRow={(r) =>
          ({
            'data-code': r.code,
            'data-status': r.status,
            'data-delivered': r.delivered.amountYuan,
            'data-deliveries': r.delivered.count,
          }) as object
        }
        columns={[
          { title: t('assistance.plan.order'), key: 'order', render: (_, _r, i) => i + 1 },
          {
            title: t('assistance.tasks.measure'),
            key: 'measure',
            render: (_, r) => (
              <Space size={4} direction="vertical">
                <span data-testid="plan-measure-name">{measureTitle(r.code, catalogue.data, lang)}</span>
                <Space size={4}>
                  <Tag color={r.kind === 'insurance' ? 'purple' : 'blue'}>{kindLabel(m, r.kind)}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.answers.join('、')}
                  </Typography.Text>
                </Space>
              </Space>
            ),
          },
          {
            title: t('assistance.plan.startsOn'),
            key: 'startsOn',
            render: (_, r) => <span style={{ whiteSpace: 'nowrap' }}>{r.startsOn}</span>,
          },
          {
            title: t('assistance.tasks.state'),
            key: 'status',
            render: (_, r) => {
              const tag = (
                <Tag
                  color={r.status === 'active' ? 'green' : r.status === 'dropped' ? 'red' : 'default'}
                  data-testid="plan-measure-status"
                >
                  {measureStatusLabel(m, r.status)}
                </Tag>
              );
              return r.dropReason ? (
                <Tooltip title={`${t('assistance.plan.dropReason')}：${r.dropReason}`}>{tag}</Tooltip>
              ) : (
                tag
              );
            },
          },
          {
            title: t('assistance.plan.plannedAmount'),
            key: 'planned',
            align: 'right',
            render: (_, r) => (r.plannedAmountYuan !== null ? yuanText(m, r.plannedAmountYuan) : t('common.none')),
          },
          {
            title: t('assistance.plan.delivered'),
            key: 'delivered',
            align: 'right',
            render: (_, r) => (
              <span data-testid="plan-measure-delivered" style={{ whiteSpace: 'nowrap' }}>
                {r.delivered.count === 0
                  ? t('common.none')
                  : [
                      r.delivered.withAmount ? yuanText(m, r.delivered.amountYuan) : '',
                      t('assistance.plan.deliveredTimes', { count: r.delivered.count }),
                    ]
                      .filter(Boolean)
                      .join(' · ')}
              </span>
            ),
          },
          {
            title: t('assistance.plan.tasks'),
            key: 'tasks',
            render: (_, r) => (
              <Space size={[4, 4]} wrap style={{ maxWidth: 360 }}>
                {r.tasks.map((task) => (
                  <Tooltip key={task.id} title={task.declineReason || task.closedReason || undefined}>
                    <Tag
                      color={taskStateColor(task.state)}
                      data-testid="plan-task"
                      data-department={task.department}
                      data-state={task.state}
                    >
                      {departmentLabel(m, task.department)}：{taskStateLabel(m, task.state)}
                      {task.overdue ? ` · ${t('assistance.tasks.overdue')}` : ''}
                    </Tag>
                  </Tooltip>
                ))}
              </Space>
            ),
          },
          {
            title: t('assistance.plan.note'),
            key: 'note',
            render: (_, r) => (
              <Typography.Text type="secondary" style={{ maxWidth: 200, display: 'inline-block' }}>
                {[r.note, r.addedBy && r.addedBy !== 'system' ? `${t('assistance.plan.addedBy')} ${r.addedBy}` : '']
                  .filter(Boolean)
                  .join(' · ')}
              </Typography.Text>
            ),
          },
          ...(mayManage && active
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, r: PlanRow) =>
                    r.status === 'active' ? (
                      <Space size={4}>
                        <Button
                          size="small"
                          onClick={() => setChanging({ operation: 'adjust', measure: r })}
                          data-testid="plan-adjust"
                        >
                          {t('assistance.plan.adjust')}
                        </Button>
                        <Button
                          size="small"
                          danger
                          onClick={() => setChanging({ operation: 'drop', measure: r })}
                          data-testid="plan-drop"
                        >
                          {t('assistance.plan.drop')}
                        </Button>
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />

      {plan.notPlanned.length > 0 && (
        <Card size="small" title={t('assistance.plan.notPlanned')} style={{ marginTop: 16 }}>
          <Typography.Paragraph type="secondary">{t('assistance.plan.notPlannedNote')}</Typography.Paragraph>
          <List
            size="small"
            dataSource={plan.notPlanned}
            data-testid="plan-not-planned"
            renderItem={(n) => (
              <List.Item data-testid="plan-not-planned-item" data-code={n.code}>
                <Space wrap>
                  <span>{measureTitle(n.code, catalogue.data, lang)}</span>
                  <Typography.Text type="warning">
                    {t('assistance.plan.unmet', {
                      conditions: n.unmet.map((c) => conditionLabel(m, c)).join(lang === 'zh' ? '；' : '; '),
                    })}
                  </Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        </Card>
      )}

      <ChangeDialog
        plan={plan}
        changing={changing}
        catalogue={catalogue.data ?? []}
        onClose={() => setChanging(null)}
        onDone={(next) => {
          setChanging(null);
          changed(next, t('assistance.plan.changed'));
        }}
        onFailure={(e) => {
          setChanging(null);
          setFailure(e);
        }}
      />
      <DecisionDialog
        plan={plan}
        deciding={deciding}
        onClose={() => setDeciding(null)}
        onDone={(next, accept) => {
          setDeciding(null);
          changed(
            next,
            t('assistance.plan.decided', {
              decision: accept ? t('assistance.plan.accept') : t('assistance.plan.reject'),
            }),
          );
        }}
        onFailure={(e) => {
          setDeciding(null);
          setFailure(e);
        }}
      />
    </div>
  );
}

/**
 * A refusal about the plan as a whole (412 stale version, 409 a measure already in or a closed plan,
 * 403), asked after the dialog's own fields took theirs.
 */
const aboutThePlan = (e: unknown) => e instanceof ApiError && [403, 409, 412].includes(e.status);

interface ChangeValues {
  measureCode?: MeasureCode;
  reason?: string;
  note?: string;
  plannedAmountYuan?: number | null;
  startsOn?: string;
}

const CHANGE_FIELDS = ['measureCode', 'reason', 'note', 'plannedAmountYuan', 'startsOn'];

function ChangeDialog({
  plan,
  changing,
  catalogue,
  onClose,
  onDone,
  onFailure,
}: {
  plan: Plan;
  changing: Changing | null;
  catalogue: readonly Measure[];
  onClose: () => void;
  onDone: (next: Plan) => void;
  onFailure: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [form] = Form.useForm<ChangeValues>();
  const chosen = Form.useWatch('measureCode', form);
  const dialog = useDialogSubmit(
    form,
    (f) => (CHANGE_FIELDS.includes(f) ? [f] : f === 'operation' ? ['note'] : null),
    handOnTo(aboutThePlan, onFailure),
  );
  const operation: PlanOperation | undefined = changing?.operation;
  const code = changing && changing.operation !== 'add' ? changing.measure.code : chosen;
  const limit = catalogue.find((x) => x.code === code)?.amountLimitYuan ?? null;
  const addable = addableMeasures(plan, catalogue);

  const close = () => {
    dialog.reset();
    onClose();
  };

  const submit = async (v: ChangeValues) => {
    if (!changing || !code) return;
    if (changing.operation === 'adjust' && !v.note?.trim() && typeof v.plannedAmountYuan !== 'number' && !v.startsOn) {
      form.setFields([{ name: 'note', errors: [t('assistance.plan.nothingToAdjust')] }]);
      return;
    }
    const change: PlanChange =
      changing.operation === 'drop'
        ? { operation: 'drop', measureCode: code, reason: v.reason?.trim() ?? '' }
        : {
            operation: changing.operation,
            measureCode: code,
            ...(v.note?.trim() ? { note: v.note.trim() } : {}),
            ...(typeof v.plannedAmountYuan === 'number' ? { plannedAmountYuan: v.plannedAmountYuan } : {}),
            ...(v.startsOn ? { startsOn: v.startsOn } : {}),
          };
    await dialog.submit(async () => onDone(await changePlan(plan, change)));
  };

  const measureName =
    changing && changing.operation !== 'add' ? measureTitle(changing.measure.code, catalogue, lang) : '';
  const title =
    operation === 'add'
      ? t('assistance.plan.addTitle')
      : operation === 'drop'
        ? t('assistance.plan.dropTitle', { measure: measureName })
        : t('assistance.plan.adjustTitle', { measure: measureName });
  const initial: ChangeValues =
    changing?.operation === 'adjust'
      ? {
          note: changing.measure.note ?? '',
          plannedAmountYuan: changing.measure.plannedAmountYuan,
        }
      : {};

  return (
    <Modal
      open={changing !== null}
      title={title}
      okText={operation === 'drop' ? t('assistance.plan.drop') : t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.saving}
      okButtonProps={{ danger: operation === 'drop', 'data-testid': 'plan-change-ok' }}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      <ErrorAlert error={dialog.error} />
      {changing && (
        <Form
          form={form}
          layout="vertical"
          initialValues={initial}
          onFinish={(v) => void submit(v)}
          preserve={false}
          data-testid="plan-change-form"
        >
          {operation === 'add' && (
            <Form.Item
              name="measureCode"
              label={t('assistance.plan.measure')}
              rules={[{ required: true, message: t('assistance.plan.measureRequired') }]}
            >
              <Select
                options={addable.map((x) => ({ value: x.code, label: measureTitle(x.code, catalogue, lang) }))}
                notFoundContent={t('assistance.plan.noAddable')}
                data-testid="plan-change-measure"
              />
            </Form.Item>
          )}
          {operation === 'drop' ? (
            <Form.Item
              name="reason"
              label={t('assistance.plan.reason')}
              rules={[{ required: true, whitespace: true, message: t('assistance.plan.reasonRequired') }]}
            >
              <Input.TextArea
                rows={3}
                maxLength={500}
                showCount
                placeholder={t('assistance.plan.reasonPlaceholder')}
                data-testid="plan-change-reason"
              />
            </Form.Item>
          ) : (
            <>
              <Form.Item name="note" label={t('assistance.plan.note')}>
                <Input.TextArea rows={2} maxLength={500} showCount data-testid="plan-change-note" />
              </Form.Item>
              <Form.Item
                name="plannedAmountYuan"
                label={t('assistance.plan.plannedAmount')}
                extra={
                  limit !== null
                    ? t('assistance.tasks.amountLimit', { limit: limit.toLocaleString('zh-CN') })
                    : t('assistance.tasks.amountNoLimit')
                }
                rules={[
                  {
                    validator: async (_, value: number | null | undefined) => {
                      const problem = amountProblem(value, limit);
                      if (problem)
                        throw new Error(
                          t(`assistance.tasks.amountProblems.${problem}`, { limit: limit?.toLocaleString('zh-CN') }),
                        );
                    },
                  },
                ]}
              >
                <InputNumber<number> min={0} precision={2} style={{ width: '100%' }} data-testid="plan-change-amount" />
              </Form.Item>
              <Form.Item
                name="startsOn"
                label={t('assistance.plan.startsOn')}
                extra={t('assistance.plan.startsOnHint')}
              >
                <DateInput data-testid="plan-change-starts-on" />
              </Form.Item>
            </>
          )}
        </Form>
      )}
    </Modal>
  );
}

function DecisionDialog({
  plan,
  deciding,
  onClose,
  onDone,
  onFailure,
}: {
  plan: Plan;
  deciding: { proposal: PlanProposal; accept: boolean } | null;
  onClose: () => void;
  onDone: (next: Plan, accept: boolean) => void;
  onFailure: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ note?: string }>();
  const dialog = useDialogSubmit(form, itemsNamed('note'), handOnTo(aboutThePlan, onFailure));
  const decision = deciding?.accept ? t('assistance.plan.accept') : t('assistance.plan.reject');

  const submit = async ({ note }: { note?: string }) => {
    if (deciding)
      await dialog.submit(async () =>
        onDone(await decideProposal(plan, deciding.proposal.id, deciding.accept, note?.trim() ?? ''), deciding.accept),
      );
  };

  return (
    <Modal
      open={deciding !== null}
      title={t('assistance.plan.decideTitle', { decision })}
      okText={decision}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.saving}
      okButtonProps={{ danger: deciding?.accept === false, 'data-testid': 'proposal-decide-ok' }}
      onOk={() => form.submit()}
      onCancel={() => {
        dialog.reset();
        onClose();
      }}
      destroyOnHidden
    >
      <ErrorAlert error={dialog.error} />
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} preserve={false}>
        <Form.Item name="note" label={t('assistance.plan.decisionNote')}>
          <Input.TextArea rows={2} maxLength={500} showCount data-testid="proposal-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
