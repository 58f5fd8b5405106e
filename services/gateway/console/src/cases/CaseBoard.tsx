// /console/cases — the application board (识别认定): the cases of the user's area by step, one tab per
// state with its count, late cases flagged (and filterable), and on each row the steps the user's role
// may take there (the procedure table, caseModel.buttonActions).
import { useState } from 'react';
import { App, Badge, Button, Checkbox, Flex, Segmented, Space, Table, Tabs, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CASE_KINDS, todayInChina, type CaseKind, type CaseState } from '@shouwang/domain';
import { listCases, type Case } from '../api/cases';
import { areaPath } from '../areas';
import { useUser } from '../auth/AuthContext';
import { AreaCascader } from '../components/AreaCascader';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { currentLanguage, useMessages } from '../i18n';
import { navEntry, navLabel } from '../navigation';
import { ActionFailureAlert, CaseActions } from './CaseActions';
import { BOARD_STATES, daysLeft, defaultBoardState, formActions } from './caseModel';
import { actionLabel, stateColor, stateLabel } from './labels';
import { KeysetPager, useListFilters } from '../components/KeysetPager';

const PAGE_SIZE = 20;
const NOWRAP = { whiteSpace: 'nowrap' } as const;

export function CaseBoard() {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const user = useUser();
  const { message } = App.useApp();
  const today = todayInChina();

  // Filters live in the address, so going back from a case returns to the same tab.
  const { params, pages, setFilters } = useListFilters();
  const kind: CaseKind = params.get('kind') === 'exit' ? 'exit' : 'identification';
  const states = BOARD_STATES[kind];
  const stateParam = params.get('state') as CaseState | null;
  const state: CaseState = stateParam && states.includes(stateParam) ? stateParam : defaultBoardState(kind, user.role);
  const late = params.get('late') === '1';
  const areaCode = params.get('area') ?? user.areaCode;
  const pageToken = pages.pageToken;

  const page = useLoad(
    () => listCases({ areaCode, kind, state, late, pageSize: PAGE_SIZE, pageToken }),
    [areaCode, kind, state, late, pageToken],
  );
  // One count per tab, so the officer sees where cases wait.
  const counts = useLoad(async () => {
    const totals = await Promise.all(
      states.map((s) => listCases({ areaCode, kind, state: s, late, pageSize: 1 }).then((p) => p.total)),
    );
    return new Map(states.map((s, i) => [s, totals[i]]));
  }, [areaCode, kind, late]);
  // Cases acted on here, shown as the server answered until the tab is loaded again.
  const [changed, setChanged] = useState<Map<string, Case>>(new Map());
  const [failure, setFailure] = useState<unknown>(null);
  const rows = (page.data?.cases ?? []).map((c) => changed.get(c.id) ?? c);

  const setFilter = (values: Record<string, string | undefined>) => {
    setChanged(new Map());
    setFailure(null);
    setFilters(values);
  };
  const reload = () => {
    setChanged(new Map());
    setFailure(null);
    page.reload();
    counts.reload();
  };

  return (
    <div data-testid="page-cases" data-kind={kind} data-state={state}>
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {navLabel(navEntry('cases'), lang)}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={page.loading} data-testid="cases-refresh">
          {t('common.refresh')}
        </Button>
      </Flex>

      <Flex wrap gap={12} align="center" style={{ marginBottom: 8 }}>
        <Segmented<CaseKind>
          value={kind}
          onChange={(k) => setFilter({ kind: k === 'identification' ? undefined : k, state: undefined })}
          options={CASE_KINDS.map((k) => ({ value: k, label: t(`cases.kinds.${k}`) }))}
          data-testid="cases-kind"
        />
        <AreaCascader
          scope={user.areaCode}
          value={areaCode}
          onChange={(code) => setFilter({ area: code && code !== user.areaCode ? code : undefined })}
          style={{ minWidth: 240 }}
          data-testid="cases-area-filter"
        />
        <Checkbox
          checked={late}
          onChange={(e) => setFilter({ late: e.target.checked ? '1' : undefined })}
          data-testid="cases-late-filter"
        >
          {t('cases.board.lateOnly')}
        </Checkbox>
      </Flex>

      <Tabs
        activeKey={state}
        onChange={(s) => setFilter({ state: s })}
        items={states.map((s) => ({
          key: s,
          label: (
            <Space size={6} data-testid={`cases-tab-${s}`}>
              {stateLabel(m, kind, s)}
              <Badge
                count={counts.data?.get(s) ?? 0}
                showZero
                overflowCount={9999}
                color={counts.data?.get(s) ? '#1677ff' : '#d9d9d9'}
                data-testid={`cases-count-${s}`}
              />
            </Space>
          ),
        }))}
      />

      <ErrorAlert error={page.error ?? counts.error} />
      <ActionFailureAlert error={failure} kind={kind} onReload={reload} />
      <Table<Case>
        data-testid="cases-table"
        rowKey="id"
        size="middle"
        loading={page.loading}
        dataSource={rows}
        pagination={false}
        locale={{ emptyText: t('cases.board.empty') }}
        scroll={{ x: 'max-content' }}
        onRow={(c) => ({ 'data-state': c.state, 'data-household': c.householdId, 'data-late': c.late }) as object}
        columns={[
          {
            title: t('cases.board.head'),
            key: 'head',
            render: (_, c) => (
              <Link to={`/cases/${encodeURIComponent(c.id)}`} style={NOWRAP} data-testid="case-open">
                {c.headName || c.householdId}
              </Link>
            ),
          },
          {
            title: t('cases.board.village'),
            key: 'village',
            render: (_, c) => areaPath(c.areaCode) ?? c.areaCode,
          },
          { title: t('cases.board.persons'), key: 'persons', dataIndex: 'persons', align: 'right' },
          {
            title: t('cases.board.state'),
            key: 'state',
            render: (_, c) => (
              <Tag color={stateColor(c.state)} data-testid="case-state">
                {stateLabel(m, c.kind, c.state)}
              </Tag>
            ),
          },
          {
            title: t('cases.board.dueOn'),
            key: 'dueOn',
            render: (_, c) => {
              const left = daysLeft(c, today);
              return (
                <Space size={4} style={NOWRAP}>
                  <span>{c.dueOn || t('common.none')}</span>
                  {c.late && (
                    <Tag color="red" data-testid="case-late">
                      {t('cases.board.late')}
                    </Tag>
                  )}
                  {!c.late && left !== null && left >= 0 && (
                    <Typography.Text type="secondary">{t('cases.board.daysLeft', { count: left })}</Typography.Text>
                  )}
                </Space>
              );
            },
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_, c) => {
              const forms = formActions(c.kind, c.state, user.role);
              return (
                <Space size={4} wrap>
                  <CaseActions
                    c={c}
                    size="small"
                    onChanged={(next, action) => {
                      setChanged((all) => new Map(all).set(next.id, next));
                      counts.reload();
                      void message.success(t('cases.done', { action: actionLabel(m, action) }));
                    }}
                    onFailure={setFailure}
                  />
                  {(forms.lodgeObjection || forms.recordVote) && (
                    <Link to={`/cases/${encodeURIComponent(c.id)}`} style={NOWRAP}>
                      {t('cases.board.moreOnCase')}
                    </Link>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
      <KeysetPager pages={pages} loaded={page} testId="cases" />
    </div>
  );
}
