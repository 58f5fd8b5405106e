// /console/violations — commitment violations (反向约束, DOMAIN.md §7): a car or commercial-housing
// purchase of an aided household, reported by public security or natural resources, for the county
// officer to decide: a warning, or the end of assistance with a reason (the household exits).
import { useState } from 'react';
import { Alert, App, Button, Flex, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { can } from '@shouwang/domain';
import {
  VIOLATION_STATES,
  decideViolation,
  listViolations,
  type ViolationCase,
  type ViolationDecision,
  type ViolationState,
} from '../api/violations';
import { areaPath } from '../areas';
import { useUser } from '../auth/AuthContext';
import { AreaCascader } from '../components/AreaCascader';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { currentLanguage } from '../i18n';
import { navEntry, navLabel } from '../navigation';
import { itemsNamed, useDialogSubmit } from '../components/useDialogSubmit';
import { KeysetPager, useListFilters } from '../components/KeysetPager';

const PAGE_SIZE = 20;
const STATE_COLORS: Record<ViolationState, string> = { open: 'red', warned: 'orange', assistance_ended: 'default' };
const NOWRAP = { whiteSpace: 'nowrap' } as const;

export function ViolationsPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const user = useUser();
  const { message } = App.useApp();
  const mayDecide = can(user.role, 'violations.decide');
  const { params, pages, setFilters } = useListFilters();
  const areaCode = params.get('area') ?? user.areaCode;
  const stateParam = params.get('state');
  const state = (VIOLATION_STATES as readonly string[]).includes(stateParam ?? '')
    ? (stateParam as ViolationState)
    : undefined;
  const pageToken = pages.pageToken;
  const page = useLoad(
    () => listViolations({ areaCode, state, pageSize: PAGE_SIZE, pageToken }),
    [areaCode, state, pageToken],
  );
  const [changed, setChanged] = useState<Map<string, ViolationCase>>(new Map());
  const [deciding, setDeciding] = useState<ViolationCase | null>(null);
  const rows = (page.data?.violations ?? []).map((v) => changed.get(v.id) ?? v);

  const setFilter = (key: string, value: string | undefined) => {
    setChanged(new Map());
    setFilters({ [key]: value });
  };
  const departmentLabel = (d: string) =>
    d === 'public_security' || d === 'natural_resources' ? t(`departments.${d}`) : d;
  const assetLabel = (a: string) => (a === 'car' || a === 'commercial_housing' ? t(`violations.assets.${a}`) : a);

  return (
    <div data-testid="page-violations">
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {navLabel(navEntry('violations'), lang)}
        </Typography.Title>
        <Button
          icon={<ReloadOutlined />}
          onClick={() => {
            setChanged(new Map());
            page.reload();
          }}
          loading={page.loading}
          data-testid="violations-refresh"
        >
          {t('common.refresh')}
        </Button>
      </Flex>
      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <AreaCascader
          scope={user.areaCode}
          value={areaCode}
          onChange={(code) => setFilter('area', code && code !== user.areaCode ? code : undefined)}
          style={{ minWidth: 240 }}
          data-testid="violations-area-filter"
        />
        <Select<ViolationState>
          allowClear
          value={state}
          onChange={(v) => setFilter('state', v)}
          placeholder={t('violations.allStates')}
          options={VIOLATION_STATES.map((s) => ({ value: s, label: t(`violations.states.${s}`) }))}
          style={{ width: 160 }}
          data-testid="violations-state-filter"
        />
      </Flex>
      <ErrorAlert error={page.error} />
      <Table<ViolationCase>
        data-testid="violations-table"
        rowKey="id"
        size="middle"
        loading={page.loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('violations.empty') }}
        scroll={{ x: 'max-content' }}
        onRow={(v) => ({ 'data-state': v.state, 'data-household': v.householdId }) as object}
        columns={[
          {
            title: t('violations.head'),
            key: 'head',
            render: (_, v) => (
              <Link to={`/households/${encodeURIComponent(v.householdId)}`} style={NOWRAP}>
                {v.headName || v.householdId}
              </Link>
            ),
          },
          { title: t('violations.village'), key: 'village', render: (_, v) => areaPath(v.areaCode) ?? v.areaCode },
          { title: t('violations.department'), key: 'department', render: (_, v) => departmentLabel(v.department) },
          { title: t('violations.asset'), key: 'asset', render: (_, v) => assetLabel(v.asset) },
          { title: t('violations.recordId'), key: 'recordId', dataIndex: 'recordId' },
          { title: t('violations.observedOn'), key: 'observedOn', dataIndex: 'observedOn' },
          {
            title: t('violations.state'),
            key: 'state',
            render: (_, v) => (
              <Tag color={STATE_COLORS[v.state] ?? 'default'} data-testid="violation-state">
                {VIOLATION_STATES.includes(v.state) ? t(`violations.states.${v.state}`) : v.state}
              </Tag>
            ),
          },
          {
            title: t('violations.decision'),
            key: 'decision',
            render: (_, v) =>
              v.decidedAt ? (
                <Space direction="vertical" size={0}>
                  {v.decisionReason && <Typography.Text>{v.decisionReason}</Typography.Text>}
                  <Typography.Text type="secondary" style={NOWRAP}>
                    {v.decidedBy} · {dayjs(v.decidedAt).format('YYYY-MM-DD HH:mm')}
                  </Typography.Text>
                </Space>
              ) : mayDecide && v.state === 'open' ? (
                <Button size="small" type="primary" onClick={() => setDeciding(v)} data-testid="violation-decide">
                  {t('violations.decide')}
                </Button>
              ) : null,
          },
        ]}
      />
      <KeysetPager pages={pages} loaded={page} testId="violations" />
      <DecisionModal
        violation={deciding}
        onClose={() => setDeciding(null)}
        onDecided={(v) => {
          setChanged((c) => new Map(c).set(v.id, v));
          setDeciding(null);
          void message.success(t('violations.decided'));
        }}
      />
    </div>
  );
}

interface DecisionValues {
  decision: ViolationDecision;
  reason?: string;
}

/** Warn, or end assistance with a reason (which exits the household); the server's verdict shows inline. */
function DecisionModal({
  violation,
  onClose,
  onDecided,
}: {
  violation: ViolationCase | null;
  onClose: () => void;
  onDecided: (v: ViolationCase) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<DecisionValues>();
  const decision = Form.useWatch('decision', form);
  const dialog = useDialogSubmit(form, itemsNamed('reason', 'decision'));

  const submit = async (v: DecisionValues) => {
    if (violation)
      await dialog.submit(async () => onDecided(await decideViolation(violation, v.decision, (v.reason ?? '').trim())));
  };

  return (
    <Modal
      open={violation !== null}
      title={t('violations.decideTitle')}
      okText={t('violations.decide')}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.saving}
      onOk={() => form.submit()}
      onCancel={() => {
        dialog.reset();
        onClose();
      }}
      destroyOnHidden
      okButtonProps={{ danger: decision === 'end_assistance', 'data-testid': 'violation-decide-ok' }}
    >
      {violation && (
        <Typography.Paragraph>
          {violation.headName} · {violation.observedOn}
        </Typography.Paragraph>
      )}
      <ErrorAlert error={dialog.error} />
      <Form form={form} layout="vertical" initialValues={{ decision: 'warn' }} onFinish={(v) => void submit(v)}>
        <Form.Item name="decision" label={t('violations.decision')}>
          <Radio.Group data-testid="violation-decision">
            <Radio value="warn" data-testid="violation-warn">
              {t('violations.decisions.warn')}
            </Radio>
            <Radio value="end_assistance" data-testid="violation-end">
              {t('violations.decisions.end_assistance')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {decision === 'end_assistance' && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('violations.endWarning')} />
        )}
        <Form.Item
          name="reason"
          label={t('violations.decisionReason')}
          rules={[
            { required: decision === 'end_assistance', whitespace: true, message: t('violations.reasonRequired') },
          ]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="violation-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
