// /console/exits — exits (退出, DOMAIN.md §7): a village's quarterly review list (集中研判: identified
// households whose causes no longer trigger and whose income is not below the line), starting an exit
// for one, and the village's exit cases with their next steps (vote on the case page, close the
// notice, tell the household).
import { useState } from 'react';
import { Alert, App, Button, Card, Empty, Flex, Select, Space, Table, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { can, todayInChina } from '@shouwang/domain';
import { listCases, type Case } from '../api/cases';
import { getExitReview, startExit, type ExitCandidate } from '../api/exits';
import { useUser } from '../auth/AuthContext';
import { ActionFailureAlert, CaseActions } from '../cases/CaseActions';
import { recentQuarters } from '../cases/caseModel';
import { actionLabel, stateColor, stateLabel } from '../cases/labels';
import { AreaCascader } from '../components/AreaCascader';
import { ErrorAlert, useErrorText } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { currentLanguage, useMessages } from '../i18n';
import { navEntry, navLabel } from '../navigation';
import { causeLabel } from '../warnings/causes';

export function ExitsPage() {
  const { t } = useTranslation();
  const user = useUser();
  const lang = currentLanguage();
  const [params, setParams] = useSearchParams();
  const quarters = recentQuarters(todayInChina());
  const quarter = quarters.includes(params.get('quarter') ?? '') ? params.get('quarter')! : quarters[0];
  const village = params.get('village') ?? (user.areaCode.length === 12 ? user.areaCode : undefined);

  const set = (key: string, value: string | undefined) =>
    setParams(
      (p) => {
        if (value) p.set(key, value);
        else p.delete(key);
        return p;
      },
      { replace: true },
    );

  return (
    <div data-testid="page-exits">
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {navLabel(navEntry('exits'), lang)}
        </Typography.Title>
        <Space wrap>
          <AreaCascader
            scope={user.areaCode}
            value={village}
            villagesOnly
            onChange={(code) => set('village', code)}
            style={{ minWidth: 260 }}
            data-testid="exits-village"
          />
          <Select<string>
            value={quarter}
            onChange={(q) => set('quarter', q === quarters[0] ? undefined : q)}
            options={quarters.map((q) => ({ value: q, label: q }))}
            style={{ width: 120 }}
            aria-label={t('exits.quarter')}
            data-testid="exits-quarter"
          />
        </Space>
      </Flex>
      {village ? (
        <VillageExits key={`${village}-${quarter}`} village={village} quarter={quarter} />
      ) : (
        <Empty description={t('exits.chooseVillage')} data-testid="exits-choose-village" />
      )}
    </div>
  );
}

function VillageExits({ village, quarter }: { village: string; quarter: string }) {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const user = useUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const mayStart = can(user.role, 'cases.submit');
  const review = useLoad(() => getExitReview(village, quarter), [village, quarter]);
  const cases = useLoad(() => listCases({ areaCode: village, kind: 'exit', pageSize: 50 }), [village]);
  const [starting, setStarting] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [changed, setChanged] = useState<Map<string, Case>>(new Map());

  const start = async (h: ExitCandidate) => {
    setStarting(h.householdId);
    try {
      const c = await startExit(h.householdId, quarter);
      void message.success(t('exits.started'));
      navigate(`/cases/${encodeURIComponent(c.id)}`);
    } catch (e) {
      void message.error(errorText(e));
      review.reload();
    } finally {
      setStarting(null);
    }
  };
  const reload = () => {
    setFailure(null);
    setChanged(new Map());
    review.reload();
    cases.reload();
  };

  const features = (codes: string[] | undefined) =>
    codes?.length ? (
      <Space size={4} wrap>
        {codes.map((f) => (
          <Tag key={f} color="volcano" title={causeLabel(f, lang)}>
            {f}
          </Tag>
        ))}
      </Space>
    ) : (
      <Typography.Text type="secondary">{t('exits.noFeatures')}</Typography.Text>
    );

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Flex justify="end">
        <Button icon={<ReloadOutlined />} onClick={reload} loading={review.loading} data-testid="exits-refresh">
          {t('common.refresh')}
        </Button>
      </Flex>
      <ErrorAlert error={review.error} />
      <Table<ExitCandidate>
        data-testid="exits-review"
        rowKey="householdId"
        size="middle"
        loading={review.loading}
        dataSource={review.data?.candidates ?? []}
        pagination={false}
        locale={{ emptyText: t('exits.empty') }}
        scroll={{ x: 'max-content' }}
        columns={[
          {
            title: t('exits.head'),
            key: 'head',
            render: (_, h) => <Link to={`/households/${encodeURIComponent(h.householdId)}`}>{h.headName}</Link>,
          },
          { title: t('exits.address'), key: 'address', dataIndex: 'address' },
          { title: t('exits.persons'), key: 'persons', dataIndex: 'persons', align: 'right' },
          { title: t('exits.causes'), key: 'causes', render: (_, h) => features(h.causes) },
          { title: t('exits.currentFeatures'), key: 'current', render: (_, h) => features(h.currentFeatures) },
          {
            title: t('exits.income'),
            key: 'income',
            render: (_, h) =>
              h.perCapitaIncome !== undefined && h.monitoringLine !== undefined
                ? `${h.perCapitaIncome} / ${h.monitoringLine}`
                : t('common.none'),
          },
          {
            title: t('exits.exitCase'),
            key: 'case',
            render: (_, h) =>
              h.exitCaseId ? (
                <Link to={`/cases/${encodeURIComponent(h.exitCaseId)}`} data-testid="exit-case-link">
                  <Tag color={stateColor(h.exitCaseState ?? '')}>{stateLabel(m, 'exit', h.exitCaseState ?? '')}</Tag>
                </Link>
              ) : mayStart ? (
                <Button
                  size="small"
                  type="primary"
                  loading={starting === h.householdId}
                  disabled={starting !== null}
                  onClick={() => void start(h)}
                  data-testid="exit-start"
                >
                  {t('exits.start')}
                </Button>
              ) : null,
          },
        ]}
      />
      {review.data && review.data.retained > 0 && (
        <Alert type="info" showIcon message={t('exits.retained', { count: review.data.retained })} />
      )}

      <Card size="small" title={t('exits.cases')}>
        <ErrorAlert error={cases.error} />
        <ActionFailureAlert error={failure} kind="exit" onReload={reload} />
        <Table<Case>
          data-testid="exits-cases"
          rowKey="id"
          size="small"
          loading={cases.loading}
          dataSource={(cases.data?.cases ?? []).map((c) => changed.get(c.id) ?? c)}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={(c) => ({ 'data-state': c.state }) as object}
          columns={[
            {
              title: t('exits.head'),
              key: 'head',
              render: (_, c) => <Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.headName}</Link>,
            },
            { title: t('exits.quarter'), key: 'quarter', dataIndex: 'quarter' },
            {
              title: t('cases.board.state'),
              key: 'state',
              render: (_, c) => <Tag color={stateColor(c.state)}>{stateLabel(m, 'exit', c.state)}</Tag>,
            },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_, c) => (
                <Space size={4} wrap>
                  <CaseActions
                    c={c}
                    size="small"
                    onChanged={(next, action) => {
                      setChanged((all) => new Map(all).set(next.id, next));
                      void message.success(t('cases.done', { action: actionLabel(m, action) }));
                    }}
                    onFailure={setFailure}
                  />
                  {c.state === 'vote' && can(user.role, 'cases.submit') && (
                    <Link to={`/cases/${encodeURIComponent(c.id)}`}>{actionLabel(m, 'record_vote')}</Link>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
