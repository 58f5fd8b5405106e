// 监测评估: the monitoring service's current assessment of the household (DOMAIN.md §4) — income
// against the line, the typical features F1–F10 with their Chinese text and what triggered them, the
// category, the monitoring-content warnings, and the explanation.
import { useEffect, useRef } from 'react';
import { Alert, Button, Descriptions, Flex, List, Space, Spin, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { FEATURE_TEXT, WARNING_TEXT, type FeatureCode, type WarningCode } from '@shouwang/domain';
import { ApiError } from '../api/client';
import { getAssessment } from '../api/households';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { currentLanguage } from '../i18n';
import { explanationLines } from './labels';

/** While the household's newest version is not assessed yet, ask again this often, this many times. */
const POLL_MS = 2000;
const POLL_TIMES = 15;

const money = (yuan: number) => yuan.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function AssessmentView({ householdId, version }: { householdId: string; version: number }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const loaded = useLoad(() => getAssessment(householdId), [householdId, version]);
  const polls = useRef(0);
  const a = loaded.data;
  const missing = loaded.error instanceof ApiError && loaded.error.status === 404;
  // A save is assessed shortly after (events): until the answer is about this version, ask again.
  const behind = missing || (a?.householdVersion !== undefined && a.householdVersion < version);

  useEffect(() => {
    polls.current = 0;
  }, [householdId, version]);
  useEffect(() => {
    if (loaded.loading || !behind || polls.current >= POLL_TIMES) return;
    const timer = setTimeout(() => {
      polls.current += 1;
      loaded.reload();
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [loaded.loading, loaded.reload, behind]);

  const featureText = (code: FeatureCode) =>
    lang === 'zh' ? FEATURE_TEXT[code].zh : `${FEATURE_TEXT[code].en}（${FEATURE_TEXT[code].zh}）`;
  const warningText = (code: WarningCode) => WARNING_TEXT[code]?.[lang] ?? code;
  const inputsOf = (code: string) => {
    const inputs = a?.explanation?.items?.find((i) => i.code === code)?.inputs;
    return inputs === undefined || inputs === null ? undefined : JSON.stringify(inputs);
  };

  const refresh = (
    <Button icon={<ReloadOutlined />} onClick={loaded.reload} loading={loaded.loading} data-testid="assessment-refresh">
      {t('common.refresh')}
    </Button>
  );

  if (missing && !a)
    return (
      <Alert
        type="info"
        showIcon
        message={t('household.assessment.none')}
        action={refresh}
        data-testid="assessment-none"
      />
    );
  // 422: the household is known but cannot be assessed (say, no income, or no line for its year).
  if (loaded.error instanceof ApiError && loaded.error.status === 422 && !a)
    return (
      <Alert
        type="warning"
        showIcon
        message={loaded.error.messageIn(lang)}
        action={refresh}
        data-testid="assessment-unprocessable"
      />
    );
  if (loaded.error && !a) return <ErrorAlert error={loaded.error} action={refresh} />;
  if (!a) return <Spin />;

  return (
    <Flex vertical gap={16} data-testid="assessment">
      <Flex justify="space-between" align="center">
        <Space>
          {behind && <Spin size="small" />}
          <Link to={`/warnings?householdId=${encodeURIComponent(householdId)}&status=all`}>
            {t('household.assessment.openWarnings')}
          </Link>
        </Space>
        {refresh}
      </Flex>
      <Descriptions bordered size="small" column={{ xs: 1, md: 2, xl: 3 }}>
        <Descriptions.Item label={t('household.assessment.year')}>{a.year}</Descriptions.Item>
        <Descriptions.Item label={t('household.assessment.asOf')}>{a.asOf}</Descriptions.Item>
        <Descriptions.Item label={t('household.assessment.perCapitaIncome')}>
          <span data-testid="assessment-per-capita">
            {t('household.assessment.yuan', { amount: money(a.perCapitaIncome) })}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('household.assessment.monitoringLine')}>
          {t('household.assessment.yuan', { amount: money(a.monitoringLine) })}
        </Descriptions.Item>
        <Descriptions.Item label={t('household.assessment.incomeVsLine')}>
          <Tag color={a.incomeBelowLine ? 'red' : 'green'} data-testid="assessment-below-line">
            {a.incomeBelowLine ? t('household.assessment.belowLine') : t('household.assessment.notBelowLine')}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('household.assessment.monitoringObject')}>
          <Tag color={a.monitoringObject ? 'volcano' : 'default'} data-testid="assessment-object">
            {a.monitoringObject ? t('household.assessment.isObject') : t('household.assessment.notObject')}
          </Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('household.assessment.category')}>
          <span data-testid="assessment-category">
            {a.category ? t(`household.assessment.categories.${a.category}`) : t('common.none')}
          </span>
        </Descriptions.Item>
        <Descriptions.Item label={t('household.assessment.assessedAt')}>
          {a.assessedAt ? dayjs(a.assessedAt).format('YYYY-MM-DD HH:mm:ss') : t('common.none')}
        </Descriptions.Item>
        <Descriptions.Item label={t('household.assessment.policyVersion')}>
          {a.policyVersion ?? t('common.none')}
        </Descriptions.Item>
      </Descriptions>

      <div>
        <Typography.Title level={5}>{t('household.assessment.features')}</Typography.Title>
        <List
          size="small"
          bordered
          data-testid="assessment-features"
          locale={{ emptyText: t('household.assessment.noFeatures') }}
          dataSource={a.features}
          renderItem={(code) => (
            <List.Item data-testid={`assessment-feature-${code}`}>
              <Space direction="vertical" size={0}>
                <Space>
                  <Tag color="volcano">{code}</Tag>
                  <Typography.Text>{featureText(code)}</Typography.Text>
                </Space>
                {inputsOf(code) && (
                  <Typography.Text type="secondary" code>
                    {inputsOf(code)}
                  </Typography.Text>
                )}
              </Space>
            </List.Item>
          )}
        />
      </div>

      <div>
        <Typography.Title level={5}>{t('household.assessment.warnings')}</Typography.Title>
        {a.warnings.length === 0 ? (
          <Typography.Text type="secondary">{t('household.assessment.noWarnings')}</Typography.Text>
        ) : (
          <Space wrap data-testid="assessment-warnings">
            {a.warnings.map((code) => (
              <Tag key={code} color="orange" title={code}>
                {warningText(code)}
              </Tag>
            ))}
          </Space>
        )}
      </div>

      <div>
        <Typography.Title level={5}>{t('household.assessment.explanation')}</Typography.Title>
        <ul style={{ margin: 0, paddingInlineStart: 20 }} data-testid="assessment-explanation">
          {explanationLines(a.explanation?.[lang]).map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      </div>
    </Flex>
  );
}
