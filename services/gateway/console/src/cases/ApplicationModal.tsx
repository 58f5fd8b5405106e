// Submitting an application (识别申请), from a warning or on the household's own request: the signed
// commitment (承诺书) and the authorisation of asset checks are both required (DOMAIN.md §6).
import { useMemo } from 'react';
import { Alert, Checkbox, Form, Input, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api/client';
import { submitApplication, type Case } from '../api/cases';
import { ErrorAlert } from '../components/ErrorAlert';
import { applicationOf, type ApplicationAnswers } from './caseModel';
import { itemsNamed, useDialogSubmit } from '../components/useDialogSubmit';

export interface ApplicationTarget {
  householdId: string;
  warningId?: string;
  /** What the dialog names the household by (the head's name, the warning's cause …). */
  label?: string;
}

const FIELDS = ['commitmentSigned', 'assetCheckAuthorised'] as const;

/** A fresh key per opened dialog: a retried submit (timeout, double click) returns the first case. */
function idempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `application-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function ApplicationModal({
  target,
  onClose,
  onSubmitted,
}: {
  target: ApplicationTarget | null;
  onClose: () => void;
  onSubmitted: (c: Case) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ApplicationAnswers>();
  const dialog = useDialogSubmit(form, itemsNamed(...FIELDS));
  const error = dialog.error;
  const key = useMemo(() => (target ? idempotencyKey() : ''), [target]);

  const close = () => {
    dialog.reset();
    onClose();
  };

  const submit = async (answers: ApplicationAnswers) => {
    if (!target) return;
    await dialog.submit(async () => onSubmitted(await submitApplication(applicationOf(answers, target), key)));
  };

  const openCaseId = error instanceof ApiError && error.code === 'case_open' ? error.body.details?.caseId : undefined;
  const mustTick = (message: string) => ({
    validator: (_: unknown, v: unknown) => (v === true ? Promise.resolve() : Promise.reject(new Error(message))),
  });

  return (
    <Modal
      open={target !== null}
      title={t('cases.apply.title')}
      okText={t('cases.apply.submit')}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.saving}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'application-submit' }}
      width={560}
    >
      {target && (
        <Typography.Paragraph data-testid="application-target">
          {t('cases.apply.household')}：{target.label ?? target.householdId}
          {target.warningId && <Typography.Text type="secondary"> · {t('cases.apply.fromWarning')}</Typography.Text>}
        </Typography.Paragraph>
      )}
      <ErrorAlert error={error} testId="application-error" />
      {openCaseId && (
        <Alert
          type="info"
          style={{ marginBottom: 16 }}
          message={
            <Link to={`/cases/${encodeURIComponent(openCaseId)}`} onClick={close} data-testid="application-open-case">
              {t('cases.apply.openCase')}
            </Link>
          }
        />
      )}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} data-testid="application-form">
        <Form.Item
          name="commitmentSigned"
          valuePropName="checked"
          rules={[mustTick(t('cases.apply.commitmentRequired'))]}
        >
          <Checkbox data-testid="application-commitment">{t('cases.apply.commitmentSigned')}</Checkbox>
        </Form.Item>
        <Form.Item name="commitmentReference" label={t('cases.apply.commitmentReference')}>
          <Input
            maxLength={64}
            placeholder={t('cases.apply.referencePlaceholder')}
            data-testid="application-commitment-ref"
          />
        </Form.Item>
        <Form.Item
          name="assetCheckAuthorised"
          valuePropName="checked"
          rules={[mustTick(t('cases.apply.assetCheckRequired'))]}
        >
          <Checkbox data-testid="application-asset-check">{t('cases.apply.assetCheckAuthorised')}</Checkbox>
        </Form.Item>
        <Form.Item name="authorisationReference" label={t('cases.apply.authorisationReference')}>
          <Input
            maxLength={64}
            placeholder={t('cases.apply.referencePlaceholder')}
            data-testid="application-asset-check-ref"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
