// /console/cases/:id — one case: where it stands and the steps the user may take, its facts, the public
// notice (dates, PDF), objections, the vote (exits), papers, the timeline of steps and the audit trail.
import { useEffect, useState, type ReactNode } from 'react';
import { App, Button, Card, Col, Descriptions, Flex, Result, Row, Space, Spin, Table, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, FilePdfOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { todayInChina, type CaseAction } from '@shouwang/domain';
import { ApiError, download } from '../api/client';
import { getCase, noticePdfPath, type Case, type CaseDocument } from '../api/cases';
import { areaPath } from '../areas';
import { useUser } from '../auth/AuthContext';
import { ErrorAlert, useErrorText } from '../components/ErrorAlert';
import { saveFile } from '../components/saveFile';
import { useLoad } from '../components/useLoad';
import { currentLanguage, useMessages } from '../i18n';
import { causeLabel } from '../warnings/causes';
import { ActionFailureAlert, CaseActions } from './CaseActions';
import { CaseAudit } from './CaseAudit';
import { CaseTimeline } from './CaseTimeline';
import { IdentificationTag } from './IdentificationTag';
import { ObjectionsPanel } from './ObjectionsPanel';
import { VoteForm, VoteResult } from './VoteForm';
import { formActions, noticeStage } from './caseModel';
import { actionLabel, categoryLabel, documentKindLabel, originLabel, stateColor, stateLabel } from './labels';

const formatTime = (at?: string) => (at ? dayjs(at).format('YYYY-MM-DD HH:mm') : '');

export function CaseDetail() {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const user = useUser();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const { id = '' } = useParams();
  const loaded = useLoad(() => getCase(id), [id]);
  // The case as last changed here or loaded, whichever is newer.
  const [current, setCurrent] = useState<Case | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  useEffect(() => {
    if (loaded.data) setCurrent(loaded.data);
  }, [loaded.data]);

  const back = (
    <Link to={current?.kind === 'exit' ? '/cases?kind=exit' : '/cases'}>
      <Button icon={<ArrowLeftOutlined />} type="text" data-testid="case-back">
        {t('common.back')}
      </Button>
    </Link>
  );
  if (loaded.error instanceof ApiError && loaded.error.status === 404)
    return (
      <div data-testid="case-not-found">
        <Result status="404" title={t('cases.detail.notFound')} extra={back} />
      </div>
    );
  if (loaded.error && !current) return <ErrorAlert error={loaded.error} action={back} />;
  if (!current) return <Spin size="large" />;

  const c = current;
  const forms = formActions(c.kind, c.state, user.role);
  const stage = noticeStage(c.notice, todayInChina());
  const changed = (next: Case, done: string) => {
    setCurrent(next);
    setFailure(null);
    void message.success(done);
  };
  const reload = () => {
    setFailure(null);
    loaded.reload();
  };
  const downloadNotice = async () => {
    try {
      const { blob, fileName } = await download(noticePdfPath(c.areaCode, c.kind), `公示-${c.areaCode}.pdf`);
      saveFile(blob, fileName);
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  const facts: { key: string; label: string; value: ReactNode; show?: boolean; wide?: boolean }[] = [
    {
      key: 'household',
      label: t('cases.detail.household'),
      value: (
        <Link to={`/households/${encodeURIComponent(c.householdId)}`} data-testid="case-household">
          {t('cases.detail.openHousehold')}
        </Link>
      ),
    },
    { key: 'village', label: t('cases.detail.village'), value: areaPath(c.areaCode) ?? c.areaCode },
    { key: 'address', label: t('cases.detail.address'), value: c.address, show: !!c.address },
    { key: 'persons', label: t('cases.detail.persons'), value: c.persons },
    { key: 'origin', label: t('cases.detail.origin'), value: originLabel(m, c.origin) },
    {
      key: 'warning',
      label: t('cases.detail.warning'),
      value: <Link to={`/warnings?householdId=${encodeURIComponent(c.householdId)}&status=all`}>{c.warningId}</Link>,
      show: !!c.warningId,
    },
    {
      key: 'submittedAt',
      label: t('cases.detail.submittedAt'),
      value: formatTime(c.submittedAt),
      show: !!c.submittedAt,
    },
    {
      key: 'dueOn',
      label: t('cases.detail.dueOn'),
      value: (
        <Space size={4}>
          {c.dueOn}
          {c.late && (
            <Tag color="red" data-testid="case-late">
              {t('cases.board.late')}
            </Tag>
          )}
        </Space>
      ),
      show: !!c.dueOn,
    },
    { key: 'decidedAt', label: t('cases.detail.decidedAt'), value: formatTime(c.decidedAt), show: !!c.decidedAt },
    {
      key: 'consents',
      label: t('cases.detail.consents'),
      value: (
        <Space size={4} wrap>
          <Tag color={c.commitmentSigned ? 'green' : 'default'}>
            {t('cases.detail.commitmentSigned')}：{c.commitmentSigned ? t('common.yes') : t('cases.detail.notSigned')}
          </Tag>
          <Tag color={c.assetCheckAuthorised ? 'green' : 'default'}>
            {t('cases.detail.assetCheckAuthorised')}：
            {c.assetCheckAuthorised ? t('common.yes') : t('cases.detail.notSigned')}
          </Tag>
        </Space>
      ),
      wide: true,
      show: c.kind === 'identification' && c.origin !== 'national_system',
    },
    {
      key: 'category',
      label: t('cases.detail.category'),
      value: <span data-testid="case-category">{categoryLabel(m, c.category ?? '')}</span>,
      show: !!c.category,
    },
    {
      key: 'causes',
      label: t('cases.detail.causes'),
      value: (
        <Space size={4} wrap>
          {(c.causes ?? []).map((cause) => (
            <Tag key={cause} color="volcano">
              {causeLabel(cause, lang)}
            </Tag>
          ))}
        </Space>
      ),
      wide: true,
      show: (c.causes ?? []).length > 0,
    },
    {
      key: 'policyStartDate',
      label: t('cases.detail.policyStartDate'),
      value: <span data-testid="case-policy-start">{c.policyStartDate}</span>,
      show: !!c.policyStartDate,
    },
    {
      key: 'identification',
      label: t('cases.detail.identification'),
      value: <IdentificationTag householdId={c.householdId} reloadKey={c.version} />,
      wide: true,
      show: c.state === 'approved' || c.kind === 'exit',
    },
    {
      key: 'overrideReason',
      label: t('cases.detail.overrideReason'),
      value: <span data-testid="case-override-reason">{c.overrideReason}</span>,
      wide: true,
      show: !!c.overrideReason,
    },
    {
      key: 'reason',
      label: t('cases.detail.reason'),
      value: <span data-testid="case-reason">{c.reason}</span>,
      wide: true,
      show: !!c.reason,
    },
    { key: 'quarter', label: t('cases.detail.quarter'), value: c.quarter, show: !!c.quarter },
    { key: 'informedOn', label: t('cases.detail.informedOn'), value: c.informedOn, show: !!c.informedOn },
  ];

  return (
    <div data-testid="case-detail" data-state={c.state} data-version={c.version} data-kind={c.kind}>
      <Flex align="center" gap={8} wrap style={{ marginBottom: 8 }}>
        {back}
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {c.headName || c.householdId}
        </Typography.Title>
        <Tag>{t(`cases.kinds.${c.kind}`)}</Tag>
        <Tag color={stateColor(c.state)} data-testid="case-state">
          {stateLabel(m, c.kind, c.state)}
        </Tag>
        <Tag color="blue" data-testid="case-version">
          {t('cases.detail.version', { version: c.version })}
        </Tag>
        <Button
          icon={<ReloadOutlined />}
          type="text"
          onClick={reload}
          loading={loaded.loading}
          data-testid="case-refresh"
        >
          {t('common.refresh')}
        </Button>
      </Flex>

      <ActionFailureAlert error={failure} kind={c.kind} onReload={reload} />
      <div style={{ marginBottom: 16 }}>
        <CaseActions
          c={c}
          onChanged={(next, action: CaseAction) => changed(next, t('cases.done', { action: actionLabel(m, action) }))}
          onFailure={setFailure}
        />
      </div>

      <Row gutter={[16, 16]}>
        <Col xs={24} xl={15}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small">
              <Descriptions
                size="small"
                column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}
                data-testid="case-facts"
              >
                {facts
                  .filter((f) => f.show !== false)
                  .map((f) => (
                    <Descriptions.Item key={f.key} label={f.label} span={f.wide ? 2 : 1}>
                      {f.value}
                    </Descriptions.Item>
                  ))}
              </Descriptions>
            </Card>

            {c.kind === 'exit' && (c.vote || forms.recordVote) && (
              <Card size="small" title={t('cases.vote.title')}>
                {c.vote ? (
                  <VoteResult vote={c.vote} />
                ) : (
                  <VoteForm
                    c={c}
                    onRecorded={(next) => changed(next, t('cases.vote.recorded'))}
                    onFailure={setFailure}
                  />
                )}
              </Card>
            )}

            <Card
              size="small"
              title={t('cases.detail.notice')}
              extra={
                c.state === 'in_notice' && (
                  <Button icon={<FilePdfOutlined />} onClick={() => void downloadNotice()} data-testid="notice-pdf">
                    {t('cases.detail.noticePdf')}
                  </Button>
                )
              }
            >
              {c.notice?.startDate ? (
                <Space direction="vertical" size={4} data-testid="case-notice" data-stage={stage}>
                  <Typography.Text data-testid="notice-period">
                    {t('cases.detail.noticePeriod', {
                      start: c.notice.startDate,
                      end: c.notice.endDate,
                      days: c.notice.days,
                    })}
                  </Typography.Text>
                  <Space size={4}>
                    <Tag color={stage === 'running' ? 'processing' : stage === 'ended' ? 'warning' : 'default'}>
                      {t(`cases.detail.noticeStages.${stage}`)}
                    </Tag>
                    {c.notice.closedAt && (
                      <Typography.Text type="secondary">
                        {t('cases.detail.noticeClosedAt', { at: formatTime(c.notice.closedAt) })}
                      </Typography.Text>
                    )}
                  </Space>
                </Space>
              ) : (
                <Typography.Text type="secondary" data-testid="case-notice" data-stage="none">
                  {t('cases.detail.noNotice')}
                </Typography.Text>
              )}
            </Card>

            {(c.notice?.startDate || (c.objections ?? []).length > 0) && (
              <Card size="small" title={t('cases.objections.title')}>
                <ObjectionsPanel
                  c={c}
                  mayLodge={forms.lodgeObjection}
                  mayResolve={forms.resolveObjection}
                  onChanged={changed}
                  onFailure={setFailure}
                />
              </Card>
            )}

            <Card size="small" title={t('cases.detail.documents')}>
              <Table<CaseDocument>
                data-testid="case-documents"
                rowKey={(d) => `${d.kind}-${d.reference}-${d.recordedAt ?? ''}`}
                size="small"
                pagination={false}
                dataSource={c.documents ?? []}
                locale={{ emptyText: t('cases.detail.noDocuments') }}
                columns={[
                  {
                    title: t('cases.detail.documentKind'),
                    key: 'kind',
                    render: (_, d) => documentKindLabel(m, d.kind),
                  },
                  { title: t('cases.detail.documentReference'), key: 'reference', dataIndex: 'reference' },
                  { title: t('cases.detail.recordedBy'), key: 'recordedBy', dataIndex: 'recordedBy' },
                  {
                    title: t('cases.detail.recordedAt'),
                    key: 'recordedAt',
                    render: (_, d) => formatTime(d.recordedAt),
                  },
                ]}
              />
            </Card>
          </Space>
        </Col>
        <Col xs={24} xl={9}>
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Card size="small" title={t('cases.detail.timeline')}>
              <CaseTimeline c={c} />
            </Card>
            <Card size="small" title={t('cases.detail.audit')}>
              <CaseAudit caseId={c.id} version={c.version} />
            </Card>
          </Space>
        </Col>
      </Row>
    </div>
  );
}
