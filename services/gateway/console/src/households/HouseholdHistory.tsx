// 变更历史: every saved version of the household — who, when, and each field's before → after.
import { Empty, Table, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ROLE_NAMES, type Role } from '@shouwang/domain';
import { householdHistory, type FieldChange, type HouseholdChange } from '../api/households';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { currentLanguage, useMessages } from '../i18n';
import { formatChangeValue, pathLabel } from './labels';

/** One table row per changed field; the version's own columns span its fields. */
interface Row {
  key: string;
  change: HouseholdChange;
  field: FieldChange | null;
  span: number;
}

function rowsOf(changes: HouseholdChange[]): Row[] {
  // Newest first: officers look for the latest change.
  return [...changes]
    .sort((a, b) => b.version - a.version)
    .flatMap((change) => {
      const fields = change.fields.length ? change.fields : [null];
      return fields.map((field, i) => ({
        key: `${change.version}-${i}`,
        change,
        field,
        span: i === 0 ? fields.length : 0,
      }));
    });
}

export function HouseholdHistory({ householdId, version }: { householdId: string; version: number }) {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const history = useLoad(() => householdHistory(householdId), [householdId, version]);
  const actions = m.household.history.actions as Record<string, string>;
  const roleName = (role: string) => (role in ROLE_NAMES ? ROLE_NAMES[role as Role][lang] : role);
  const spanned = (row: Row) => ({ rowSpan: row.span });

  if (history.error) return <ErrorAlert error={history.error} />;
  return (
    <Table<Row>
      data-testid="household-history"
      size="small"
      loading={history.loading}
      dataSource={history.data ? rowsOf(history.data) : []}
      pagination={{ pageSize: 50, hideOnSinglePage: true }}
      locale={{ emptyText: <Empty description={t('household.history.empty')} /> }}
      columns={[
        {
          title: t('household.history.version'),
          key: 'version',
          onCell: spanned,
          render: (_, r) => <Tag>v{r.change.version}</Tag>,
        },
        {
          title: t('household.history.when'),
          key: 'when',
          onCell: spanned,
          render: (_, r) => dayjs(r.change.at).format('YYYY-MM-DD HH:mm:ss'),
        },
        {
          title: t('household.history.who'),
          key: 'who',
          onCell: spanned,
          render: (_, r) => (
            <>
              {r.change.actorUsername}{' '}
              <Typography.Text type="secondary">{roleName(r.change.actorRole)}</Typography.Text>
            </>
          ),
        },
        {
          title: t('household.history.action'),
          key: 'action',
          onCell: spanned,
          render: (_, r) => actions[r.change.action] ?? r.change.action,
        },
        {
          title: t('household.history.field'),
          key: 'field',
          render: (_, r) =>
            r.field ? (
              <span title={r.field.path}>{pathLabel(r.field.path, m.household.fields)}</span>
            ) : (
              t('common.none')
            ),
        },
        {
          title: t('household.history.before'),
          key: 'before',
          render: (_, r) =>
            r.field ? (
              <Typography.Text delete type="secondary" style={{ maxWidth: 280 }} ellipsis={{ tooltip: true }}>
                {formatChangeValue(r.field.path, r.field.before, m)}
              </Typography.Text>
            ) : null,
        },
        {
          title: t('household.history.after'),
          key: 'after',
          render: (_, r) =>
            r.field ? (
              <Typography.Text strong style={{ maxWidth: 280 }} ellipsis={{ tooltip: true }}>
                {formatChangeValue(r.field.path, r.field.after, m)}
              </Typography.Text>
            ) : null,
        },
      ]}
    />
  );
}
