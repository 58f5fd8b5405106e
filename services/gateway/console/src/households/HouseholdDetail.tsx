// /console/households/:id — one household: its form (view and edit), its history, its assessment, its
// identification (相对贫困户), its assistance plan (帮扶计划) and points ledger (积分与红黑榜), and for the
// village cadre the household's own application (农户申请).
import { useEffect, useState } from 'react';
import { App, Button, Flex, Result, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, FileAddOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { can } from '@shouwang/domain';
import { ApiError } from '../api/client';
import { getIdentification } from '../api/cases';
import { getHousehold, type StoredHousehold } from '../api/households';
import { areaPath } from '../areas';
import { useUser } from '../auth/AuthContext';
import { PlanTab } from '../assistance/PlanTab';
import { PointsTab } from '../assistance/PointsTab';
import { ApplicationModal, type ApplicationTarget } from '../cases/ApplicationModal';
import { IdentificationStatus } from '../cases/IdentificationTag';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { useMessages } from '../i18n';
import { AssessmentView } from './AssessmentView';
import { HouseholdForm } from './HouseholdForm';
import { HouseholdHistory } from './HouseholdHistory';

const TABS = ['form', 'history', 'assessment', 'plan', 'points'] as const;
type Tab = (typeof TABS)[number];

export function HouseholdDetail() {
  const { t } = useTranslation();
  const m = useMessages();
  const user = useUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [applying, setApplying] = useState<ApplicationTarget | null>(null);
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const loaded = useLoad(() => getHousehold(id), [id]);
  const identificationLoad = useLoad(() => getIdentification(id), [id]);
  const identification = identificationLoad.data;
  // Offered once the identification is known (or cannot be read: the server still has the last word).
  const mayApply =
    can(user.role, 'cases.submit') &&
    (identification !== undefined || identificationLoad.error !== undefined) &&
    identification?.status !== 'identified';
  // The household as last saved here or loaded, whichever is newer.
  const [current, setCurrent] = useState<{ household: StoredHousehold; version: number } | null>(null);
  useEffect(() => {
    if (loaded.data) setCurrent(loaded.data);
  }, [loaded.data]);

  const tab: Tab = (TABS as readonly string[]).includes(search.get('tab') ?? '') ? (search.get('tab') as Tab) : 'form';
  const back = (
    <Link to="/households">
      <Button icon={<ArrowLeftOutlined />} type="text" data-testid="household-back">
        {t('common.back')}
      </Button>
    </Link>
  );

  if (loaded.error instanceof ApiError && loaded.error.status === 404)
    return (
      <div data-testid="household-not-found">
        <Result status="404" title={t('household.detail.notFound')} extra={back} />
      </div>
    );
  if (loaded.error && !current) return <ErrorAlert error={loaded.error} action={back} />;
  if (!current) return <Spin size="large" />;

  const { household, version } = current;
  const head = household.members.find((mb) => mb.relation === 'head') ?? household.members[0];

  return (
    <div data-testid="household-detail" data-version={version}>
      <Flex align="center" gap={8} wrap style={{ marginBottom: 8 }}>
        {back}
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {head?.name ?? household.id}
        </Typography.Title>
        <Tag>{m.household.enums.povertyStatus[household.povertyStatus]}</Tag>
        <Tag color="blue" data-testid="household-version">
          {t('household.detail.version', { version })}
        </Tag>
        <IdentificationStatus identification={identification} />
        {/* An identified household cannot apply again (the server answers 409 already_identified). */}
        {mayApply && (
          <Button
            icon={<FileAddOutlined />}
            onClick={() => setApplying({ householdId: household.id, label: head?.name ?? household.id })}
            data-testid="household-apply"
          >
            {t('cases.apply.title')}
          </Button>
        )}
      </Flex>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text type="secondary">{areaPath(household.areaCode) ?? household.areaCode}</Typography.Text>
        <Typography.Text type="secondary">{household.address}</Typography.Text>
      </Space>
      <Tabs
        activeKey={tab}
        onChange={(key) =>
          setSearch(
            (s) => {
              s.set('tab', key);
              return s;
            },
            { replace: true },
          )
        }
        items={[
          {
            key: 'form',
            label: <span data-testid="tab-form">{t('household.detail.tabForm')}</span>,
            children: (
              <HouseholdForm
                key={version}
                mode="edit"
                stored={household}
                version={version}
                onSaved={(saved) => setCurrent({ household: saved, version: saved.version })}
                onReload={loaded.reload}
              />
            ),
          },
          {
            key: 'history',
            label: <span data-testid="tab-history">{t('household.detail.tabHistory')}</span>,
            children: <HouseholdHistory householdId={household.id} version={version} />,
          },
          {
            key: 'assessment',
            label: <span data-testid="tab-assessment">{t('household.detail.tabAssessment')}</span>,
            children: <AssessmentView householdId={household.id} version={version} />,
          },
          {
            key: 'plan',
            label: <span data-testid="tab-plan">{t('assistance.plan.tab')}</span>,
            children: <PlanTab householdId={household.id} />,
          },
          {
            key: 'points',
            label: <span data-testid="tab-points">{t('assistance.points.tab')}</span>,
            children: <PointsTab householdId={household.id} />,
          },
        ]}
      />
      <ApplicationModal
        target={applying}
        onClose={() => setApplying(null)}
        onSubmitted={(c) => {
          setApplying(null);
          void message.success(t('cases.apply.submitted'));
          navigate(`/cases/${encodeURIComponent(c.id)}`);
        }}
      />
    </div>
  );
}
