// /console/households/:id — one household: its form (view and edit), its history, its assessment.
import { useEffect, useState } from 'react';
import { Button, Flex, Result, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../api/client';
import { getHousehold, type StoredHousehold } from '../api/households';
import { areaPath } from '../areas';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { useMessages } from '../i18n';
import { AssessmentView } from './AssessmentView';
import { HouseholdForm } from './HouseholdForm';
import { HouseholdHistory } from './HouseholdHistory';

const TABS = ['form', 'history', 'assessment'] as const;
type Tab = (typeof TABS)[number];

export function HouseholdDetail() {
  const { t } = useTranslation();
  const m = useMessages();
  const { id = '' } = useParams();
  const [search, setSearch] = useSearchParams();
  const loaded = useLoad(() => getHousehold(id), [id]);
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
        ]}
      />
    </div>
  );
}
