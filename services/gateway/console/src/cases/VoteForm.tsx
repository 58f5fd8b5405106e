// The village representative assembly's vote on an exit (村民代表大会, DOMAIN.md §7): the counts, the
// date and the minutes' reference, with the result judged as the cadre types (quorum two thirds,
// passed with more than half of those present) — the server judges again when it is recorded.
import { useState } from 'react';
import { Alert, Button, Col, Descriptions, Form, Input, InputNumber, Row, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { todayInChina } from '@shouwang/domain';
import { ApiError } from '../api/client';
import { recordVote, type Case, type Vote, type VoteInput } from '../api/cases';
import { DateInput } from '../components/DateInput';
import { ErrorAlert } from '../components/ErrorAlert';
import { formFieldErrors } from '../components/fieldErrors';
import { currentLanguage } from '../i18n';
import { voteVerdict, type VoteAnswers } from './caseModel';

const COUNTS = ['members', 'present', 'votesFor', 'votesAgainst', 'abstentions'] as const;
const FIELDS: readonly string[] = [...COUNTS, 'heldOn', 'minutesReference'];

/** The verdict line under the form: what the counts mean, or what is wrong with them. */
export function VoteVerdictAlert({ answers }: { answers: VoteAnswers }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const v = voteVerdict(answers);
  if (!v.complete) return <Alert type="info" message={t('cases.vote.verdictPending')} data-testid="vote-verdict" />;
  if (v.problems.length)
    return (
      <Alert
        type="error"
        data-testid="vote-verdict"
        data-passed="false"
        message={v.problems.map((p) => (lang === 'zh' ? p.messageZh : p.message)).join('；')}
      />
    );
  const text = !v.quorum ? t('cases.vote.noQuorum') : v.passed ? t('cases.vote.passed') : t('cases.vote.failed');
  return (
    <Alert
      type={v.passed ? 'success' : 'warning'}
      showIcon
      data-testid="vote-verdict"
      data-passed={String(v.passed)}
      message={text}
      description={v.passed ? undefined : t('cases.vote.failedNote')}
    />
  );
}

export function VoteForm({
  c,
  onRecorded,
  onFailure,
}: {
  c: Case;
  onRecorded: (next: Case) => void;
  onFailure: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const [form] = Form.useForm<VoteInput>();
  const answers = Form.useWatch((values: VoteAnswers) => values, form);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (v: VoteInput) => {
    setSaving(true);
    setError(null);
    try {
      onRecorded(await recordVote(c, { ...v, minutesReference: v.minutesReference.trim() }));
    } catch (e) {
      // The server may name a count as `vote.present` (the request message nests it).
      const nameOf = (f: string) => {
        const last = f.replace(/^vote\./, '');
        return FIELDS.includes(last) ? [last] : null;
      };
      const inline = e instanceof ApiError ? formFieldErrors(e.fieldErrors, lang, nameOf) : [];
      if (inline.length) form.setFields(inline as Parameters<typeof form.setFields>[0]);
      else if (e instanceof ApiError && [403, 409, 412].includes(e.status)) onFailure(e);
      else setError(e);
    } finally {
      setSaving(false);
    }
  };

  const label = (k: (typeof COUNTS)[number] | 'heldOn' | 'minutesReference') => t(`cases.vote.${k}`);
  const required = (k: (typeof COUNTS)[number] | 'heldOn' | 'minutesReference') => ({
    required: true,
    message: t('cases.vote.required', { field: label(k) }),
  });

  return (
    <Form
      form={form}
      layout="vertical"
      initialValues={{ heldOn: todayInChina() }}
      onFinish={(v) => void submit(v)}
      data-testid="vote-form"
    >
      <ErrorAlert error={error} />
      <Row gutter={12}>
        {COUNTS.map((k) => (
          <Col key={k} xs={12} md={8} lg={4}>
            <Form.Item name={k} label={label(k)} rules={[required(k)]}>
              <InputNumber min={0} precision={0} style={{ width: '100%' }} data-testid={`vote-${k}`} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Row gutter={12}>
        <Col xs={24} md={8}>
          <Form.Item name="heldOn" label={label('heldOn')} rules={[required('heldOn')]}>
            <DateInput data-testid="vote-heldOn" />
          </Form.Item>
        </Col>
        <Col xs={24} md={16}>
          <Form.Item
            name="minutesReference"
            label={label('minutesReference')}
            rules={[{ ...required('minutesReference'), whitespace: true }]}
          >
            <Input maxLength={64} data-testid="vote-minutesReference" />
          </Form.Item>
        </Col>
      </Row>
      <div style={{ marginBottom: 16 }}>
        <VoteVerdictAlert answers={answers ?? {}} />
      </div>
      <Button type="primary" htmlType="submit" loading={saving} data-testid="vote-submit">
        {t('cases.vote.submit')}
      </Button>
    </Form>
  );
}

/** A recorded vote: the counts and the result. */
export function VoteResult({ vote }: { vote: Vote }) {
  const { t } = useTranslation();
  return (
    <Descriptions size="small" column={{ xs: 1, md: 3 }} bordered data-testid="vote-result">
      {COUNTS.map((k) => (
        <Descriptions.Item key={k} label={t(`cases.vote.${k}`)}>
          {vote[k]}
        </Descriptions.Item>
      ))}
      <Descriptions.Item label={t('cases.vote.heldOn')}>{vote.heldOn}</Descriptions.Item>
      <Descriptions.Item label={t('cases.vote.result')}>
        <Tag color={vote.passed ? 'green' : 'orange'} data-testid="vote-passed" data-passed={String(!!vote.passed)}>
          {vote.passed ? t('cases.vote.resultPassed') : t('cases.vote.resultFailed')}
        </Tag>
        {vote.quorum === false && t('cases.vote.noQuorum')}
      </Descriptions.Item>
    </Descriptions>
  );
}
