// The audit entries of one case (GET /audit?source=identification&aggregateId=…). The trail is open to
// auditors and the city administrator only; everyone else is told so and reads the timeline.
import { Alert, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { can } from '@shouwang/domain';
import { auditOf, type AuditEntry } from '../api/audit';
import { useUser } from '../auth/AuthContext';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { currentLanguage } from '../i18n';
import { roleLabel } from './labels';

export function CaseAudit({ caseId, version }: { caseId: string; version: number }) {
  const { t } = useTranslation();
  const user = useUser();
  if (!can(user.role, 'audit.read'))
    return <Alert type="info" showIcon message={t('cases.detail.auditNote')} data-testid="case-audit-note" />;
  return <AuditEntries caseId={caseId} version={version} />;
}

function AuditEntries({ caseId, version }: { caseId: string; version: number }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  // Loaded again whenever the case changes here (each step writes an entry).
  const page = useLoad(() => auditOf(caseId), [caseId, version]);
  return (
    <>
      <ErrorAlert error={page.error} />
      <Table<AuditEntry>
        data-testid="case-audit"
        rowKey="id"
        size="small"
        loading={page.loading}
        pagination={false}
        dataSource={page.data?.entries ?? []}
        locale={{ emptyText: t('cases.detail.auditEmpty') }}
        scroll={{ x: 'max-content' }}
        onRow={(e) => ({ 'data-action': e.action }) as object}
        columns={[
          { title: '#', key: 'seq', dataIndex: 'seq', width: 48 },
          {
            title: t('cases.detail.auditAt'),
            key: 'at',
            render: (_, e) => dayjs(e.at).format('YYYY-MM-DD HH:mm:ss'),
          },
          { title: t('cases.detail.auditAction'), key: 'action', dataIndex: 'action' },
          {
            title: t('cases.detail.auditActor'),
            key: 'actor',
            render: (_, e) =>
              e.actor?.system ??
              (e.actor?.username ? `${e.actor.username}（${roleLabel(e.actor.role ?? '', lang)}）` : ''),
          },
          {
            title: t('cases.detail.auditChange'),
            key: 'change',
            render: (_, e) => (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {summary(e.before)} → {summary(e.after)}
              </Typography.Text>
            ),
          },
        ]}
      />
    </>
  );
}

/** A compact one-line form of an entry's state summary (already redacted by the trail). */
function summary(v: unknown): string {
  if (v === null || v === undefined) return '∅';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}
