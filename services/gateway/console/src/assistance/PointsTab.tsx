// 积分与红黑榜 on the household page (志智双扶, M8): the love-supermarket points ledger (newest first) with
// its balance, and the red (commended) and black (criticised) list entries with who and why. The village
// cadre records both: points earned or spent (never below zero: 409 insufficient_points names the
// balance; one idempotency key per opened form, so a retried submit records once) and list entries.
import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
} from 'antd';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { can } from '@shouwang/domain';
import { addListEntry, getPoints, recordPoints, type ListEntry, type PointsEntry } from '../api/assistance';
import { ApiError } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { ErrorAlert } from '../components/ErrorAlert';
import { formFieldErrors } from '../components/fieldErrors';
import { useLoad } from '../components/useLoad';
import { currentLanguage } from '../i18n';
import { insufficientBalance, pointsIdempotencyKey, signedPoints } from './assistanceModel';

const when = (at: string) => (at ? dayjs(at).format('YYYY-MM-DD HH:mm') : '');

export function PointsTab({ householdId }: { householdId: string }) {
  const { t } = useTranslation();
  const user = useUser();
  const mayRecord = can(user.role, 'assistance.points.record');
  const loaded = useLoad(() => getPoints(householdId), [householdId]);
  const points = loaded.data;

  return (
    <div data-testid="points">
      <ErrorAlert error={loaded.error} />
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('assistance.points.entries')} style={{ marginBottom: 16 }}>
            <Statistic
              title={t('assistance.points.balance')}
              value={points?.balance ?? 0}
              suffix={t('assistance.points.unit')}
              loading={loaded.loading && !points}
              style={{ marginBottom: 12 }}
              valueRender={(node) => (
                <span data-testid="points-balance" data-balance={points?.balance ?? 0}>
                  {node}
                </span>
              )}
            />
            <Table<PointsEntry>
              data-testid="points-entries"
              rowKey="id"
              size="small"
              dataSource={points?.entries ?? []}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: t('assistance.points.empty') }}
              onRow={(e) => ({ 'data-points': e.points }) as object}
              columns={[
                { title: t('assistance.points.at'), key: 'at', render: (_, e) => when(e.at) },
                {
                  title: t('assistance.points.points'),
                  key: 'points',
                  align: 'right',
                  render: (_, e) => <Tag color={e.points > 0 ? 'green' : 'orange'}>{signedPoints(e.points)}</Tag>,
                },
                { title: t('assistance.points.reason'), key: 'reason', dataIndex: 'reason' },
                { title: t('assistance.points.recordedBy'), key: 'by', dataIndex: 'recordedBy' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          {mayRecord ? (
            <PointsForm householdId={householdId} onRecorded={loaded.reload} />
          ) : (
            <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('assistance.points.recordOnlyCadre')} />
          )}
        </Col>
      </Row>
      <Row gutter={16}>
        <Col xs={24} lg={14}>
          <Card size="small" title={t('assistance.points.lists')} style={{ marginBottom: 16 }}>
            <Table<ListEntry>
              data-testid="list-entries"
              rowKey="id"
              size="small"
              dataSource={points?.listEntries ?? []}
              pagination={{ pageSize: 10, hideOnSinglePage: true }}
              locale={{ emptyText: t('assistance.points.listEmpty') }}
              onRow={(e) => ({ 'data-list': e.list }) as object}
              columns={[
                { title: t('assistance.points.at'), key: 'at', render: (_, e) => when(e.at) },
                {
                  title: t('assistance.points.list'),
                  key: 'list',
                  render: (_, e) => (
                    <Tag color={e.list === 'red' ? 'red' : 'default'} style={e.list === 'black' ? BLACK : undefined}>
                      {t(`assistance.points.listNames.${e.list}`)}
                    </Tag>
                  ),
                },
                { title: t('assistance.points.reason'), key: 'reason', dataIndex: 'reason' },
                { title: t('assistance.points.recordedBy'), key: 'by', dataIndex: 'recordedBy' },
              ]}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          {mayRecord && <ListEntryForm householdId={householdId} onAdded={loaded.reload} />}
        </Col>
      </Row>
    </div>
  );
}

const BLACK = { background: '#262626', color: '#fff', borderColor: '#262626' } as const;

interface PointsValues {
  kind: 'earn' | 'spend';
  points?: number | null;
  reason?: string;
}

function PointsForm({ householdId, onRecorded }: { householdId: string; onRecorded: () => void }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { message } = App.useApp();
  const [form] = Form.useForm<PointsValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // One key per entry being typed: a retry of the same submit records once; a new entry gets a new key.
  const [round, setRound] = useState(0);
  const key = useMemo(() => pointsIdempotencyKey(), [round]);

  const submit = async (v: PointsValues) => {
    setSaving(true);
    setError(null);
    try {
      const r = await recordPoints(
        householdId,
        { kind: v.kind, points: v.points ?? 0, reason: (v.reason ?? '').trim() },
        key,
      );
      form.resetFields();
      setRound((n) => n + 1);
      void message.success(t('assistance.points.recorded', { balance: r.balance }));
      onRecorded();
    } catch (e) {
      const balance = insufficientBalance(e);
      if (balance !== null) {
        form.setFields([{ name: 'points', errors: [t('assistance.points.insufficient', { balance })] }]);
        return;
      }
      const inline =
        e instanceof ApiError
          ? formFieldErrors(e.fieldErrors, lang, (f) => (['kind', 'points', 'reason'].includes(f) ? [f] : null))
          : [];
      if (inline.length) form.setFields(inline as Parameters<typeof form.setFields>[0]);
      else setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t('assistance.points.record')} style={{ marginBottom: 16 }}>
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ kind: 'earn' }}
        onFinish={(v) => void submit(v)}
        data-testid="points-form"
      >
        <Form.Item name="kind" label={t('assistance.points.kind')}>
          <Radio.Group data-testid="points-kind">
            <Radio value="earn" data-testid="points-earn">
              {t('assistance.points.earn')}
            </Radio>
            <Radio value="spend" data-testid="points-spend">
              {t('assistance.points.spend')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="points"
          label={t('assistance.points.points')}
          rules={[{ required: true, type: 'integer', min: 1, message: t('assistance.points.pointsRequired') }]}
        >
          <InputNumber<number>
            min={1}
            max={10_000}
            precision={0}
            style={{ width: '100%' }}
            data-testid="points-value"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('assistance.points.reason')}
          rules={[{ required: true, whitespace: true, message: t('assistance.points.reasonRequired') }]}
        >
          <Input maxLength={200} placeholder={t('assistance.points.reasonPlaceholder')} data-testid="points-reason" />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={saving} data-testid="points-submit">
            {t('assistance.points.submit')}
          </Button>
        </Space>
      </Form>
    </Card>
  );
}

function ListEntryForm({ householdId, onAdded }: { householdId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ list: 'red' | 'black'; reason?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (v: { list: 'red' | 'black'; reason?: string }) => {
    setSaving(true);
    setError(null);
    try {
      await addListEntry(householdId, v.list, (v.reason ?? '').trim());
      form.resetFields();
      void message.success(t('assistance.points.added'));
      onAdded();
    } catch (e) {
      const inline =
        e instanceof ApiError
          ? formFieldErrors(e.fieldErrors, lang, (f) => (f === 'list' || f === 'reason' ? [f] : null))
          : [];
      if (inline.length) form.setFields(inline as Parameters<typeof form.setFields>[0]);
      else setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card size="small" title={t('assistance.points.addEntry')} style={{ marginBottom: 16 }}>
      <ErrorAlert error={error} />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ list: 'red' }}
        onFinish={(v) => void submit(v)}
        data-testid="list-entry-form"
      >
        <Form.Item name="list" label={t('assistance.points.list')}>
          <Radio.Group data-testid="list-entry-list">
            <Radio value="red" data-testid="list-entry-red">
              {t('assistance.points.listNames.red')}
            </Radio>
            <Radio value="black" data-testid="list-entry-black">
              {t('assistance.points.listNames.black')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('assistance.points.reason')}
          rules={[{ required: true, whitespace: true, message: t('assistance.points.listReasonRequired') }]}
        >
          <Input
            maxLength={200}
            placeholder={t('assistance.points.listReasonPlaceholder')}
            data-testid="list-entry-reason"
          />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving} data-testid="list-entry-submit">
          {t('assistance.points.addEntry')}
        </Button>
      </Form>
    </Card>
  );
}
