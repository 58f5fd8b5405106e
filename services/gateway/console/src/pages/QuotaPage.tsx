// /console/quota — a county's quota of identified persons (总量控制, DOMAIN.md §6): Q, the hard limit
// an override reaches, the persons identified, the places left and the applications still pending.
// City-level users pick the county; everyone else sees their own.
import { Alert, Button, Card, Col, Flex, Progress, Row, Select, Space, Statistic, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { getQuotaStatus } from '../api/quota';
import { areaName } from '../areas';
import { useUser } from '../auth/AuthContext';
import { countiesFor, quotaGauge } from '../cases/caseModel';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { currentLanguage } from '../i18n';
import { navEntry, navLabel } from '../navigation';

const LEVEL_COLORS = { ok: '#1677ff', tight: '#fa8c16', pendingOver: '#fa541c', over: '#f5222d' } as const;

export function QuotaPage() {
  const { t } = useTranslation();
  const user = useUser();
  const counties = countiesFor(user.areaCode);
  const [params, setParams] = useSearchParams();
  const picked = params.get('county');
  const county = picked && counties.includes(picked) ? picked : counties[0];
  const status = useLoad(() => getQuotaStatus(county), [county]);
  const s = status.data?.countyCode === county ? status.data : undefined;
  const gauge = s ? quotaGauge(s) : undefined;

  return (
    <div data-testid="page-quota" data-county={county}>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {navLabel(navEntry('quota'), currentLanguage())}
        </Typography.Title>
        <Space>
          {counties.length > 1 ? (
            <Select<string>
              showSearch
              value={county}
              onChange={(code) => setParams({ county: code }, { replace: true })}
              options={counties.map((code) => ({ value: code, label: `${areaName(code) ?? code}（${code}）` }))}
              optionFilterProp="label"
              style={{ width: 240 }}
              aria-label={t('quota.county')}
              data-testid="quota-county"
            />
          ) : (
            <Tag data-testid="quota-county">{`${areaName(county) ?? county}（${county}）`}</Tag>
          )}
          <Button
            icon={<ReloadOutlined />}
            onClick={status.reload}
            loading={status.loading}
            data-testid="quota-refresh"
          >
            {t('common.refresh')}
          </Button>
        </Space>
      </Flex>

      <ErrorAlert error={status.error} />
      {s && !s.configured && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('quota.notConfigured')}
          data-testid="quota-not-configured"
        />
      )}
      {s && gauge && (
        <Row gutter={[16, 16]} data-testid="quota-status" data-level={gauge.level}>
          <Col xs={24} md={10}>
            <Card title={t('quota.gaugeTitle')} size="small">
              <Flex vertical align="center" gap={8}>
                <Progress
                  type="dashboard"
                  size={220}
                  percent={gauge.withPendingPercent}
                  success={{ percent: gauge.usedPercent }}
                  strokeColor={LEVEL_COLORS[gauge.level]}
                  format={() => (
                    <span data-testid="quota-gauge-text">
                      {s.used} / {s.quota}
                    </span>
                  )}
                />
                <Tag
                  color={{ ok: 'blue', tight: 'orange', pendingOver: 'volcano', over: 'red' }[gauge.level]}
                  data-testid="quota-level"
                >
                  {t(`quota.levels.${gauge.level}`)}
                </Tag>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('quota.legendUsed')} · {t('quota.legendPending')}
                </Typography.Text>
              </Flex>
            </Card>
          </Col>
          <Col xs={24} md={14}>
            <Card size="small">
              <Row gutter={[16, 24]}>
                <Col span={12}>
                  <div data-testid="quota-population">
                    <Statistic title={t('quota.population')} value={s.registeredPoorPopulation} />
                  </div>
                </Col>
                <Col span={12}>
                  <div data-testid="quota-quota">
                    <Statistic title={t('quota.quota')} value={s.quota} />
                  </div>
                </Col>
                <Col span={12}>
                  <div data-testid="quota-hard-limit">
                    <Statistic title={t('quota.hardLimit')} value={s.hardLimit} />
                  </div>
                </Col>
                <Col span={12}>
                  <div data-testid="quota-used">
                    <Statistic title={t('quota.used')} value={s.used} />
                  </div>
                </Col>
                <Col span={12}>
                  <div data-testid="quota-remaining">
                    <Statistic
                      title={t('quota.remaining')}
                      value={s.remaining}
                      valueStyle={s.remaining < 0 ? { color: LEVEL_COLORS.over } : undefined}
                    />
                  </div>
                </Col>
                <Col span={12}>
                  <div data-testid="quota-pending">
                    <Statistic
                      title={t('quota.pending')}
                      value={t('quota.pendingValue', { persons: s.pendingPersons, cases: s.pendingCases })}
                    />
                  </div>
                </Col>
              </Row>
            </Card>
          </Col>
        </Row>
      )}
    </div>
  );
}
