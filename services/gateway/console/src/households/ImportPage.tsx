// /console/households/import — bulk import (批量导入): template, file, dry run or import, progress,
// and the rows that failed.
import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Card, Flex, Progress, Space, Statistic, Table, Tag, Typography, Upload } from 'antd';
import {
  ArrowLeftOutlined,
  CloudUploadOutlined,
  DownloadOutlined,
  ExperimentOutlined,
  FileAddOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { download } from '../api/client';
import { saveFile } from '../components/saveFile';
import {
  getImport,
  importErrorsPath,
  importTemplatePath,
  startImport,
  type ImportJob,
  type ImportRowError,
} from '../api/households';
import { ErrorAlert, useErrorText } from '../components/ErrorAlert';
import { currentLanguage, useMessages } from '../i18n';
import { estimateRows, formatBytes, importFormatOf, isFinished, progressPercent } from './importModel';
import { pathLabel } from './labels';

const POLL_MS = 1000;

export function ImportPage() {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const errorText = useErrorText();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [estimate, setEstimate] = useState<number | null>(null);
  const [job, setJob] = useState<ImportJob | null>(null);
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const format = file ? importFormatOf(file.name) : null;
  const running = starting || (job !== null && !isFinished(job));

  // Poll the running job until it is over; a later job or leaving the page stops the polling.
  const jobId = job?.id;
  const jobRunning = job !== null && !isFinished(job);
  const pollError = useRef(0);
  useEffect(() => {
    if (!jobId || !jobRunning) return;
    const timer = setTimeout(() => {
      getImport(jobId).then(
        (next) => {
          pollError.current = 0;
          setJob((cur) => (cur?.id === next.id ? next : cur));
        },
        (e: unknown) => {
          // One lost answer is no reason to stop; three in a row are.
          pollError.current += 1;
          if (pollError.current >= 3) setError(e);
          else setJob((cur) => (cur ? { ...cur } : cur));
        },
      );
    }, POLL_MS);
    return () => clearTimeout(timer);
  }, [jobId, jobRunning, job]);

  const choose = (chosen: File) => {
    setFile(chosen);
    setJob(null);
    setError(null);
    setEstimate(null);
    const f = importFormatOf(chosen.name);
    if (f && f.format !== 'xlsx') void chosen.text().then((text) => setEstimate(estimateRows(text, f.format)));
    return false; // keep the file here: it is uploaded as the request body, not by antd
  };

  const start = async (dryRun: boolean) => {
    if (!file || !format) return;
    setStarting(true);
    setError(null);
    setJob(null);
    try {
      setJob(await startImport(file, { ...format, dryRun }));
    } catch (e) {
      setError(e);
    } finally {
      setStarting(false);
    }
  };

  const fetchFile = async (path: string, name: string) => {
    try {
      const { blob, fileName } = await download(path, name);
      saveFile(blob, fileName);
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  const percent = job ? progressPercent(job, estimate) : null;
  const failure = job?.failure
    ? typeof job.failure === 'string'
      ? job.failure
      : lang === 'zh'
        ? (job.failure.messageZh ?? job.failure.message)
        : job.failure.message
    : null;

  return (
    <div data-testid="household-import-page">
      <Flex align="center" gap={8} style={{ marginBottom: 8 }}>
        <Link to="/households">
          <Button icon={<ArrowLeftOutlined />} type="text">
            {t('common.back')}
          </Button>
        </Link>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {t('household.import.title')}
        </Typography.Title>
      </Flex>
      <Typography.Paragraph type="secondary">{t('household.import.intro')}</Typography.Paragraph>

      <Card size="small" style={{ marginBottom: 16 }}>
        <Flex wrap gap={8} align="center">
          {(['csv', 'xlsx'] as const).map((f) => (
            <Button
              key={f}
              icon={<DownloadOutlined />}
              onClick={() => void fetchFile(importTemplatePath(f), `households-template.${f}`)}
              data-testid={`import-template-${f}`}
            >
              {t('household.import.template')} (.{f})
            </Button>
          ))}
          <Upload
            accept=".csv,.xlsx,.jsonl,.ndjson"
            maxCount={1}
            showUploadList={false}
            beforeUpload={choose}
            disabled={running}
          >
            <Button icon={<FileAddOutlined />} disabled={running} data-testid="import-choose">
              {t('household.import.chooseFile')}
            </Button>
          </Upload>
          {file && (
            <Typography.Text data-testid="import-file">
              {t('household.import.chosen', { name: file.name, size: formatBytes(file.size) })}
              {estimate !== null && ` · ${t('household.import.estimate', { total: estimate })}`}
            </Typography.Text>
          )}
        </Flex>
        {file && !format && (
          <Alert type="warning" showIcon style={{ marginTop: 12 }} message={t('household.import.unsupported')} />
        )}
        <Space style={{ marginTop: 12 }}>
          <Button
            icon={<ExperimentOutlined />}
            disabled={!format || running}
            loading={starting}
            onClick={() => void start(true)}
            data-testid="import-dry-run"
          >
            {t('household.import.dryRun')}
          </Button>
          <Button
            type="primary"
            icon={<CloudUploadOutlined />}
            disabled={!format || running}
            onClick={() => void start(false)}
            data-testid="import-run"
          >
            {t('household.import.run')}
          </Button>
        </Space>
      </Card>

      <ErrorAlert error={error} />

      {job && (
        <Card
          size="small"
          data-testid="import-job"
          data-status={job.status}
          title={
            <Space>
              {job.dryRun ? t('household.import.dryRun') : t('household.import.run')}
              <Tag
                color={job.status === 'succeeded' ? 'green' : job.status === 'failed' ? 'red' : 'processing'}
                data-testid="import-status"
              >
                {t(`household.import.statuses.${job.status}`)}
              </Tag>
            </Space>
          }
        >
          {percent !== null ? (
            <Progress
              percent={percent}
              status={job.status === 'failed' ? 'exception' : isFinished(job) ? 'success' : 'active'}
              data-testid="import-progress"
            />
          ) : (
            <Progress percent={100} status="active" showInfo={false} data-testid="import-progress" />
          )}
          <Typography.Paragraph type="secondary" style={{ marginBottom: 12 }}>
            {t('household.import.processed', { processed: job.processed })} ·{' '}
            {t('household.import.rate', { rate: Math.round(job.ratePerSecond ?? 0) })}
          </Typography.Paragraph>
          {isFinished(job) && job.status === 'succeeded' && (
            <Alert
              type={job.invalid > 0 ? 'warning' : 'success'}
              showIcon
              style={{ marginBottom: 12 }}
              message={job.dryRun ? t('household.import.dryRunDone') : t('household.import.done')}
            />
          )}
          {failure && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              message={t('household.import.failed')}
              description={failure}
            />
          )}
          <Flex wrap gap={32} style={{ marginBottom: 16 }}>
            {(['processed', 'created', 'updated', 'unchanged', 'invalid'] as const).map((k) => (
              <Statistic
                key={k}
                title={t(`household.import.counts.${k}`)}
                value={job[k]}
                valueStyle={k === 'invalid' && job[k] > 0 ? { color: '#cf1322' } : undefined}
                data-testid={`import-count-${k}`}
              />
            ))}
          </Flex>

          <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
            <Typography.Title level={5} style={{ margin: 0 }}>
              {t('household.import.errors')}
            </Typography.Title>
            {job.invalid > 0 && (
              <Button
                icon={<DownloadOutlined />}
                onClick={() => void fetchFile(importErrorsPath(job.id), 'errors.csv')}
                data-testid="import-errors-csv"
              >
                {t('household.import.errorsCsv')}
              </Button>
            )}
          </Flex>
          {job.errors.length >= 1000 && (
            <Typography.Paragraph type="secondary">{t('household.import.errorsNote')}</Typography.Paragraph>
          )}
          <Table<ImportRowError & { key: number }>
            size="small"
            data-testid="import-errors"
            dataSource={job.errors.map((e, key) => ({ ...e, key }))}
            pagination={{ pageSize: 10, hideOnSinglePage: true, showSizeChanger: false }}
            locale={{ emptyText: t('household.import.noErrors') }}
            columns={[
              { title: t('household.import.row'), dataIndex: 'row', width: 80 },
              {
                title: t('household.import.field'),
                key: 'field',
                render: (_, e) => <span title={e.field}>{e.field ? pathLabel(e.field, m.household.fields) : ''}</span>,
              },
              {
                title: t('household.import.problem'),
                key: 'problem',
                render: (_, e) => (lang === 'zh' ? (e.messageZh ?? e.message) : e.message),
              },
            ]}
          />
        </Card>
      )}
    </div>
  );
}
