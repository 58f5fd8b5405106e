// /console/feeds — a department officer posts one record of their department's feed (部门预警筛查).
// The form is drawn from the department's row of FEED_FORMS (feeds/feedForms.ts).
import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Result,
  Row,
  Select,
  Switch,
  Typography,
} from 'antd';
import { SendOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, type FieldError } from '../api/client';
import { postFeedRecords } from '../api/feeds';
import { useUser } from '../auth/AuthContext';
import { DateInput } from '../components/DateInput';
import { ErrorAlert } from '../components/ErrorAlert';
import { formFieldErrors } from '../components/fieldErrors';
import { YesNoSelect } from '../components/YesNoSelect';
import {
  feedDepartmentsFor,
  feedFieldOf,
  feedFields,
  newRecordId,
  toFeedRecord,
  type FeedDepartment,
  type FeedField,
  type FeedFormValues,
} from '../feeds/feedForms';
import { currentLanguage, useMessages } from '../i18n';
import { navEntry, navLabel } from '../navigation';

export function FeedsPage() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const user = useUser();
  const departments = feedDepartmentsFor(user.department);
  const [department, setDepartment] = useState<FeedDepartment | undefined>(departments[0]);

  return (
    <div data-testid="page-feeds">
      <Typography.Title level={3} data-testid="page-title">
        {navLabel(navEntry('feeds'), lang)}
      </Typography.Title>
      {department === undefined ? (
        <div data-testid="feeds-none">
          <Empty description={t('feeds.noDepartment')} />
        </div>
      ) : (
        <>
          {departments.length > 1 && (
            <Select<FeedDepartment>
              value={department}
              onChange={setDepartment}
              options={departments.map((d) => ({ value: d, label: t(`feeds.departments.${d}`) }))}
              style={{ minWidth: 280, marginBottom: 16 }}
            />
          )}
          <FeedRecordForm key={department} department={department} />
        </>
      )}
    </div>
  );
}

function FeedRecordForm({ department }: { department: FeedDepartment }) {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const fields = feedFields(department);
  const [form] = Form.useForm<FeedFormValues>();
  const [sending, setSending] = useState(false);
  const [accepted, setAccepted] = useState<number | null>(null);
  const [fieldProblems, setFieldProblems] = useState<FieldError[]>([]);
  const [error, setError] = useState<unknown>(null);
  const fresh = () => ({ recordId: newRecordId(department, new Date()) });

  const send = async (values: FeedFormValues) => {
    setSending(true);
    setError(null);
    setFieldProblems([]);
    try {
      setAccepted(await postFeedRecords(department, [toFeedRecord(fields, values)]));
    } catch (e) {
      if (e instanceof ApiError && e.fieldErrors.length > 0) {
        form.setFields(
          formFieldErrors(e.fieldErrors, lang, (field) => {
            const item = feedFieldOf(field);
            return item ? [item] : null;
          }) as Parameters<typeof form.setFields>[0],
        );
        setFieldProblems(e.fieldErrors);
      } else setError(e);
    } finally {
      setSending(false);
    }
  };

  if (accepted !== null)
    return (
      // antd's Result keeps data-* attributes to itself: the test hook is on a wrapper.
      <div data-testid="feed-accepted">
        <Result
          status="success"
          title={t('feeds.accepted', { count: accepted })}
          extra={
            <Button
              type="primary"
              onClick={() => {
                form.resetFields();
                form.setFieldsValue(fresh());
                setAccepted(null);
              }}
              data-testid="feed-another"
            >
              {t('feeds.newRecord')}
            </Button>
          }
        />
      </div>
    );

  const control = (f: FeedField) => {
    const testId = `feed-field-${f.name}`;
    switch (f.kind) {
      case 'date':
        return <DateInput data-testid={testId} />;
      case 'year':
        return <InputNumber style={{ width: '100%' }} precision={0} controls={false} data-testid={testId} />;
      case 'money':
        return <InputNumber style={{ width: '100%' }} controls={false} data-testid={testId} />;
      case 'ratio':
        return <InputNumber style={{ width: '100%' }} step={0.05} data-testid={testId} />;
      case 'boolean':
        return <Switch data-testid={testId} />;
      case 'yesNo':
        return <YesNoSelect data-testid={testId} />;
      case 'enum':
      case 'number': {
        const labels = (f.enumKey ? m.feeds.enums[f.enumKey] : {}) as Record<string, string>;
        return (
          <Select
            allowClear={!f.required}
            options={(f.options ?? []).map((o) => ({ value: o, label: labels[String(o)] ?? String(o) }))}
            data-testid={testId}
          />
        );
      }
      default:
        return <Input maxLength={f.kind === 'idNumber' ? 18 : 100} autoComplete="off" data-testid={testId} />;
    }
  };

  return (
    <Card
      title={t(`feeds.departments.${department}`)}
      size="small"
      data-testid="feed-form"
      data-department={department}
    >
      <Typography.Paragraph type="secondary">{t('feeds.recordNote')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      {fieldProblems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('feeds.invalid', { count: fieldProblems.length })}
          data-testid="feed-errors"
        />
      )}
      <Form<FeedFormValues>
        form={form}
        layout="vertical"
        initialValues={fresh()}
        onFinish={(v) => void send(v)}
        disabled={sending}
      >
        <Row gutter={16}>
          {fields.map((f) => (
            <Col xs={24} md={12} lg={8} key={f.name}>
              <Form.Item
                name={f.name}
                label={m.feeds.fields[f.name]}
                valuePropName={f.kind === 'boolean' ? 'checked' : 'value'}
                rules={
                  f.required
                    ? [{ required: true, message: t('household.form.required', { field: m.feeds.fields[f.name] }) }]
                    : undefined
                }
              >
                {control(f)}
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Button type="primary" htmlType="submit" icon={<SendOutlined />} loading={sending} data-testid="feed-submit">
          {t('feeds.submit')}
        </Button>
      </Form>
    </Card>
  );
}
