// /console/warnings — the warnings inbox (预警处置): filter by cause, source, status and area; open the
// household; acknowledge, dismiss with a reason (warnings.manage), or start an application from it
// (the village cadre: the application form, then the new case).
import { useState } from 'react';
import { Alert, App, Button, Flex, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { can } from '@shouwang/domain';
import {
  ACTIONABLE,
  WARNING_CAUSES,
  WARNING_STATUSES,
  acknowledgeWarning,
  dismissWarning,
  listWarnings,
  type Warning,
  type WarningCause,
  type WarningStatus,
} from '../api/warnings';
import { areaPath } from '../areas';
import { useUser } from '../auth/AuthContext';
import { ApplicationModal, type ApplicationTarget } from '../cases/ApplicationModal';
import { AreaCascader } from '../components/AreaCascader';
import { ErrorAlert, useErrorText } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { FEED_DEPARTMENTS, type FeedDepartment } from '../feeds/feedForms';
import { causeLabel } from '../warnings/causes';
import { currentLanguage } from '../i18n';
import { navEntry, navLabel } from '../navigation';
import { itemsNamed, useDialogSubmit } from '../components/useDialogSubmit';
import { KeysetPager, useListFilters } from '../components/KeysetPager';

const PAGE_SIZE = 20;
/** The inbox opens on what still needs a decision; `status=all` in the address shows everything. */
const DEFAULT_STATUS: WarningStatus = 'open';
const STATUS_COLORS: Record<WarningStatus, string> = {
  open: 'red',
  acknowledged: 'orange',
  converted: 'blue',
  dismissed: 'default',
  resolved: 'green',
};
const NOWRAP = { whiteSpace: 'nowrap' } as const;
const SOURCES = ['registry', ...FEED_DEPARTMENTS.map((d) => `feed:${d}`), 'rescreening', 'policy'];

export function WarningsPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const user = useUser();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const mayManage = can(user.role, 'warnings.manage');
  // Applications are submitted in the village (cases.submit): the warning is converted with it.
  const mayApply = can(user.role, 'cases.submit');
  const navigate = useNavigate();
  const [applying, setApplying] = useState<ApplicationTarget | null>(null);

  const { params, pages, setFilters } = useListFilters();
  const areaCode = params.get('area') ?? user.areaCode;
  const cause = (params.get('cause') ?? undefined) as WarningCause | undefined;
  const source = params.get('source') ?? undefined;
  const statusParam = params.get('status');
  const status = statusParam === 'all' ? undefined : ((statusParam ?? DEFAULT_STATUS) as WarningStatus);
  const householdId = params.get('householdId') ?? undefined;
  const pageToken = pages.pageToken;

  const page = useLoad(
    () => listWarnings({ areaCode, cause, source, status, householdId, pageSize: PAGE_SIZE, pageToken }),
    [areaCode, cause, source, status, householdId, pageToken],
  );
  // Warnings changed here, shown as the server answered until the list is loaded again.
  const [changed, setChanged] = useState<Map<string, Warning>>(new Map());
  const rows = (page.data?.warnings ?? []).map((w) => changed.get(w.id) ?? w);
  const [busy, setBusy] = useState<string | null>(null);
  const [dismissing, setDismissing] = useState<Warning | null>(null);

  const setFilter = (key: string, value: string | undefined) => {
    setFilters({ [key]: value });
  };
  const reload = () => {
    setChanged(new Map());
    page.reload();
  };

  const act = async (w: Warning, action: () => Promise<Warning>, done: string) => {
    setBusy(w.id);
    try {
      const next = await action();
      setChanged((c) => new Map(c).set(next.id, next));
      void message.success(done);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const sourceLabel = (s: string) => {
    if (s.startsWith('feed:')) {
      const d = s.slice('feed:'.length);
      const known = (FEED_DEPARTMENTS as readonly string[]).includes(d);
      return t('warnings.sources.feed', { department: known ? t(`departments.${d as FeedDepartment}`) : d });
    }
    return s === 'registry' || s === 'rescreening' || s === 'policy' ? t(`warnings.sources.${s}`) : s;
  };

  return (
    <div data-testid="page-warnings">
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {navLabel(navEntry('warnings'), lang)}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={page.loading} data-testid="warnings-refresh">
          {t('common.refresh')}
        </Button>
      </Flex>

      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <AreaCascader
          scope={user.areaCode}
          value={areaCode}
          onChange={(code) => setFilter('area', code && code !== user.areaCode ? code : undefined)}
          style={{ minWidth: 240 }}
          data-testid="warnings-area-filter"
        />
        <Select<WarningCause>
          allowClear
          value={cause}
          onChange={(v) => setFilter('cause', v)}
          placeholder={t('warnings.allCauses')}
          options={WARNING_CAUSES.map((c) => ({ value: c, label: causeLabel(c, lang) }))}
          popupMatchSelectWidth={false}
          style={{ width: 260 }}
          data-testid="warnings-cause-filter"
        />
        <Select<string>
          allowClear
          value={source}
          onChange={(v) => setFilter('source', v)}
          placeholder={t('warnings.allSources')}
          options={SOURCES.map((s) => ({ value: s, label: sourceLabel(s) }))}
          popupMatchSelectWidth={false}
          style={{ width: 220 }}
          data-testid="warnings-source-filter"
        />
        <Select<WarningStatus>
          allowClear
          value={status}
          onChange={(v) => setFilter('status', v ?? 'all')}
          placeholder={t('warnings.allStatuses')}
          options={WARNING_STATUSES.map((s) => ({ value: s, label: t(`warnings.statuses.${s}`) }))}
          style={{ width: 160 }}
          data-testid="warnings-status-filter"
        />
      </Flex>
      {householdId && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('warnings.forHousehold', { id: householdId })}
          action={
            <Button size="small" onClick={() => setFilter('householdId', undefined)}>
              {t('warnings.clearHousehold')}
            </Button>
          }
        />
      )}

      <ErrorAlert error={page.error} />
      <Table<Warning>
        data-testid="warnings-table"
        rowKey="id"
        size="middle"
        loading={page.loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('warnings.empty') }}
        scroll={{ x: 'max-content' }}
        onRow={(w) => ({ 'data-cause': w.cause, 'data-household': w.householdId, 'data-status': w.status }) as object}
        expandable={{
          expandedRowRender: (w) => (
            <Space direction="vertical">
              <Typography.Text>
                {t('warnings.explanation')}：{w.explanation?.[lang] ?? ''}
              </Typography.Text>
              {w.dismissReason && (
                <Typography.Text type="secondary">
                  {t('warnings.dismissReason')}：{w.dismissReason}
                </Typography.Text>
              )}
              {w.applicationId && (
                <Typography.Text type="secondary">
                  {t('warnings.application')}：
                  <Link to={`/cases/${encodeURIComponent(w.applicationId)}`} data-testid="warning-application">
                    {w.applicationId}
                  </Link>
                </Typography.Text>
              )}
            </Space>
          ),
        }}
        columns={[
          {
            title: t('warnings.cause'),
            key: 'cause',
            render: (_, w) => (
              <Space>
                <Tag color="volcano">{w.cause}</Tag>
                <span>{w.causeText?.[lang] ?? causeLabel(w.cause, lang)}</span>
              </Space>
            ),
          },
          {
            title: t('warnings.household'),
            key: 'household',
            render: (_, w) => (
              <Link
                to={`/households/${encodeURIComponent(w.householdId)}`}
                style={NOWRAP}
                data-testid="warning-household"
              >
                {t('warnings.openHousehold')}
              </Link>
            ),
          },
          { title: t('warnings.area'), key: 'area', render: (_, w) => areaPath(w.areaCode) ?? w.areaCode },
          {
            title: t('warnings.source'),
            key: 'source',
            render: (_, w) => <span style={NOWRAP}>{sourceLabel(w.source)}</span>,
          },
          {
            title: t('warnings.status'),
            key: 'status',
            render: (_, w) => (
              <Tag color={STATUS_COLORS[w.status]} data-testid="warning-status">
                {t(`warnings.statuses.${w.status}`)}
              </Tag>
            ),
          },
          {
            title: t('warnings.firstSeen'),
            key: 'firstSeen',
            render: (_, w) => <span style={NOWRAP}>{dayjs(w.firstSeenAt).format('YYYY-MM-DD HH:mm')}</span>,
          },
          {
            title: t('warnings.lastSeen'),
            key: 'lastSeen',
            render: (_, w) => <span style={NOWRAP}>{dayjs(w.lastSeenAt).format('YYYY-MM-DD HH:mm')}</span>,
          },
          ...(mayManage
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, w: Warning) =>
                    ACTIONABLE.has(w.status) ? (
                      <Space size={4}>
                        {w.status === 'open' && (
                          <Button
                            size="small"
                            loading={busy === w.id}
                            onClick={() => void act(w, () => acknowledgeWarning(w.id), t('warnings.acknowledged'))}
                            data-testid="warning-acknowledge"
                          >
                            {t('warnings.acknowledge')}
                          </Button>
                        )}
                        <Button
                          size="small"
                          disabled={busy === w.id}
                          onClick={() => setDismissing(w)}
                          data-testid="warning-dismiss"
                        >
                          {t('warnings.dismiss')}
                        </Button>
                        {mayApply && (
                          <Button
                            size="small"
                            type="primary"
                            disabled={busy === w.id}
                            onClick={() =>
                              setApplying({
                                householdId: w.householdId,
                                warningId: w.id,
                                label: w.causeText?.[lang] ?? causeLabel(w.cause, lang),
                              })
                            }
                            data-testid="warning-convert"
                          >
                            {t('warnings.convert')}
                          </Button>
                        )}
                      </Space>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <KeysetPager pages={pages} loaded={page} testId="warnings" />

      <ApplicationModal
        target={applying}
        onClose={() => setApplying(null)}
        onSubmitted={(c) => {
          setApplying(null);
          void message.success(t('cases.apply.submitted'));
          navigate(`/cases/${encodeURIComponent(c.id)}`);
        }}
      />
      <DismissModal
        warning={dismissing}
        onClose={() => setDismissing(null)}
        onDismissed={(w) => {
          setChanged((c) => new Map(c).set(w.id, w));
          setDismissing(null);
          void message.success(t('warnings.dismissed'));
        }}
      />
    </div>
  );
}

/** Dismissing needs a reason (kept with the warning); the server's verdict on it shows on the field. */
function DismissModal({
  warning,
  onClose,
  onDismissed,
}: {
  warning: Warning | null;
  onClose: () => void;
  onDismissed: (w: Warning) => void;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [form] = Form.useForm<{ reason: string }>();
  const dialog = useDialogSubmit(form, itemsNamed('reason'));

  const submit = async ({ reason }: { reason: string }) => {
    if (warning) await dialog.submit(async () => onDismissed(await dismissWarning(warning.id, reason.trim())));
  };

  return (
    <Modal
      open={warning !== null}
      title={t('warnings.dismissTitle')}
      okText={t('warnings.dismiss')}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.saving}
      onOk={() => form.submit()}
      onCancel={() => {
        dialog.reset();
        onClose();
      }}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'dismiss-ok' }}
    >
      {warning && (
        <Typography.Paragraph>
          <Tag color="volcano">{warning.cause}</Tag>
          {warning.causeText?.[lang]}
        </Typography.Paragraph>
      )}
      <ErrorAlert error={dialog.error} />
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          name="reason"
          label={t('warnings.dismissReason')}
          rules={[{ required: true, whitespace: true, message: t('warnings.dismissReasonRequired') }]}
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder={t('warnings.dismissReasonPlaceholder')}
            data-testid="dismiss-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
