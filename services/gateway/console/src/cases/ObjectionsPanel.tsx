// Objections to a public notice (公示异议): the village cadre records each one lodged during the notice
// and resolves it — upheld ends the case, dismissed lets it go on (DOMAIN.md §6). Only resolved
// objections let the notice close.
import { useState } from 'react';
import { Alert, Button, Form, Input, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { lodgeObjection, resolveObjection, type Case, type Objection, type Resolution } from '../api/cases';
import { DateInput } from '../components/DateInput';
import { ErrorAlert } from '../components/ErrorAlert';
import { unresolvedObjections } from './caseModel';
import { handOnTo, itemsNamed, useDialogSubmit } from '../components/useDialogSubmit';

/** 409, 412 and 403 are about the case, not the form: the page shows them (with a reload). */
const aboutTheCase = (e: unknown) => e instanceof ApiError && [403, 409, 412].includes(e.status) && !e.body.field;

export function ObjectionsPanel({
  c,
  mayLodge,
  mayResolve,
  onChanged,
  onFailure,
}: {
  c: Case;
  mayLodge: boolean;
  mayResolve: boolean;
  onChanged: (next: Case, done: string) => void;
  onFailure: (error: unknown) => void;
}) {
  const { t } = useTranslation();
  const [lodging, setLodging] = useState(false);
  const [resolving, setResolving] = useState<Objection | null>(null);
  const objections = c.objections ?? [];
  const unresolved = unresolvedObjections(c);

  return (
    <div data-testid="case-objections">
      {mayLodge && (
        <Button
          icon={<PlusOutlined />}
          onClick={() => setLodging(true)}
          style={{ marginBottom: 12 }}
          data-testid="objection-lodge"
        >
          {t('cases.objections.lodge')}
        </Button>
      )}
      {unresolved > 0 && c.state === 'in_notice' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          message={t('cases.objections.unresolvedCount', { count: unresolved })}
          data-testid="objections-unresolved"
        />
      )}
      <Table<Objection>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={objections}
        locale={{ emptyText: t('cases.objections.empty') }}
        onRow={(o) => ({ 'data-resolution': o.resolution || 'unresolved' }) as object}
        columns={[
          { title: t('cases.objections.lodgedOn'), key: 'lodgedOn', dataIndex: 'lodgedOn', width: 120 },
          { title: t('cases.objections.summary'), key: 'summary', dataIndex: 'summary' },
          { title: t('cases.objections.recordedBy'), key: 'recordedBy', dataIndex: 'recordedBy', width: 140 },
          {
            title: t('cases.objections.resolution'),
            key: 'resolution',
            render: (_, o) =>
              o.resolution ? (
                <Space direction="vertical" size={0}>
                  <Tag color={o.resolution === 'upheld' ? 'red' : 'green'} data-testid="objection-resolution">
                    {t(`cases.objections.${o.resolution}`)}
                  </Tag>
                  {o.resolutionNote && <Typography.Text type="secondary">{o.resolutionNote}</Typography.Text>}
                  {o.resolvedBy && (
                    <Typography.Text type="secondary">
                      {o.resolvedBy}
                      {o.resolvedAt ? ` · ${dayjs(o.resolvedAt).format('YYYY-MM-DD HH:mm')}` : ''}
                    </Typography.Text>
                  )}
                </Space>
              ) : mayResolve ? (
                <Button size="small" onClick={() => setResolving(o)} data-testid="objection-resolve">
                  {t('cases.objections.resolve')}
                </Button>
              ) : (
                <Tag color="orange" data-testid="objection-resolution">
                  {t('cases.objections.unresolved')}
                </Tag>
              ),
          },
        ]}
      />
      <LodgeModal
        c={c}
        open={lodging}
        onClose={() => setLodging(false)}
        onDone={(next) => {
          setLodging(false);
          onChanged(next, t('cases.objections.lodged'));
        }}
        onFailure={(e) => {
          setLodging(false);
          onFailure(e);
        }}
      />
      <ResolveModal
        c={c}
        objection={resolving}
        onClose={() => setResolving(null)}
        onDone={(next) => {
          setResolving(null);
          onChanged(next, t('cases.objections.resolved'));
        }}
        onFailure={(e) => {
          setResolving(null);
          onFailure(e);
        }}
      />
    </div>
  );
}

interface LodgeValues {
  summary: string;
  lodgedOn?: string;
}

function LodgeModal({
  c,
  open,
  onClose,
  onDone,
  onFailure,
}: {
  c: Case;
  open: boolean;
  onClose: () => void;
  onDone: (next: Case) => void;
  onFailure: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<LodgeValues>();
  const dialog = useDialogSubmit(form, itemsNamed('summary', 'lodgedOn'), handOnTo(aboutTheCase, onFailure));

  const submit = async (v: LodgeValues) => {
    await dialog.submit(async () => onDone(await lodgeObjection(c, v.summary.trim(), v.lodgedOn)));
  };

  return (
    <Modal
      open={open}
      title={t('cases.objections.lodgeTitle')}
      okText={t('cases.objections.lodge')}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.saving}
      onOk={() => form.submit()}
      onCancel={() => {
        dialog.reset();
        onClose();
      }}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'objection-lodge-ok' }}
    >
      <ErrorAlert error={dialog.error} />
      {/* No date given: the server records its own today (the notice's calendar is the server's). */}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)}>
        <Form.Item
          name="summary"
          label={t('cases.objections.summary')}
          rules={[{ required: true, whitespace: true, message: t('cases.objections.summaryRequired') }]}
        >
          <Input.TextArea
            rows={3}
            maxLength={500}
            showCount
            placeholder={t('cases.objections.summaryPlaceholder')}
            data-testid="objection-summary"
          />
        </Form.Item>
        <Form.Item name="lodgedOn" label={t('cases.objections.lodgedOn')} extra={t('cases.objections.lodgedOnHint')}>
          <DateInput data-testid="objection-lodged-on" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface ResolveValues {
  resolution: Resolution;
  note: string;
}

function ResolveModal({
  c,
  objection,
  onClose,
  onDone,
  onFailure,
}: {
  c: Case;
  objection: Objection | null;
  onClose: () => void;
  onDone: (next: Case) => void;
  onFailure: (e: unknown) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ResolveValues>();
  const resolution = Form.useWatch('resolution', form);
  const dialog = useDialogSubmit(form, itemsNamed('note', 'resolution'), handOnTo(aboutTheCase, onFailure));

  const submit = async (v: ResolveValues) => {
    if (objection)
      await dialog.submit(async () => onDone(await resolveObjection(c, objection.id, v.resolution, v.note.trim())));
  };

  return (
    <Modal
      open={objection !== null}
      title={t('cases.objections.resolveTitle')}
      okText={t('cases.objections.resolve')}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.saving}
      onOk={() => form.submit()}
      onCancel={() => {
        dialog.reset();
        onClose();
      }}
      destroyOnHidden
      okButtonProps={{ danger: resolution === 'upheld', 'data-testid': 'objection-resolve-ok' }}
    >
      {objection && (
        <Typography.Paragraph>
          {objection.lodgedOn}：{objection.summary}
        </Typography.Paragraph>
      )}
      <ErrorAlert error={dialog.error} />
      <Form form={form} layout="vertical" initialValues={{ resolution: 'dismissed' }} onFinish={(v) => void submit(v)}>
        <Form.Item name="resolution" label={t('cases.objections.resolution')}>
          <Radio.Group data-testid="objection-resolution-choice">
            <Radio value="dismissed" data-testid="objection-dismissed">
              {t('cases.objections.dismissed')}
            </Radio>
            <Radio value="upheld" data-testid="objection-upheld">
              {t('cases.objections.upheld')}
            </Radio>
          </Radio.Group>
        </Form.Item>
        {resolution === 'upheld' && (
          <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={t('cases.objections.upheldWarning')} />
        )}
        <Form.Item
          name="note"
          label={t('cases.objections.resolveNote')}
          rules={[{ required: true, whitespace: true, message: t('cases.objections.resolveNoteRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount data-testid="objection-note" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
