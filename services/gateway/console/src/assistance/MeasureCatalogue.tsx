// /console/measures — 帮扶措施库: the catalogue M1–M10 (names, responsible departments, the causes each
// answers, the household's conditions, policy or insurance, amount limit, days to deliver, active).
// Everyone who works on assistance reads it; the city administrator edits a measure over the version
// read (PUT with If-Match: 412 when someone else saved first).
import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { EditOutlined, ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { can, DEPARTMENTS, ELIGIBILITY_CONDITIONS, FEATURE_CODES } from '@shouwang/domain';
import { listMeasures, updateMeasure, type Measure, type MeasureFields } from '../api/assistance';
import { ApiError } from '../api/client';
import { useUser } from '../auth/AuthContext';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { currentLanguage, useMessages } from '../i18n';
import { navEntry, navLabel } from '../navigation';
import { causeLabel } from '../warnings/causes';
import { measureFieldsOf, measureFormValues, measureItemOf } from './assistanceModel';
import { causesText, conditionLabel, departmentLabel, kindLabel, yuanText } from './labels';
import { useDialogSubmit } from '../components/useDialogSubmit';

export function MeasureCatalogue() {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const user = useUser();
  const { message } = App.useApp();
  const mayEdit = can(user.role, 'assistance.catalogue.manage');
  const loaded = useLoad(listMeasures, []);
  const [editing, setEditing] = useState<Measure | null>(null);
  // Measures saved here, shown as the server answered until the catalogue is loaded again.
  const [saved, setSaved] = useState<Map<string, Measure>>(new Map());
  const rows = (loaded.data ?? []).map((x) => saved.get(x.code) ?? x);
  const reload = () => {
    setSaved(new Map());
    loaded.reload();
  };

  return (
    <div data-testid="page-measures">
      <Flex justify="space-between" align="center" style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {navLabel(navEntry('measures'), lang)}
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={loaded.loading} data-testid="measures-refresh">
          {t('common.refresh')}
        </Button>
      </Flex>
      <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('assistance.measures.readOnly')} />
      <ErrorAlert error={loaded.error} />
      <Table<Measure>
        data-testid="measures-table"
        rowKey="code"
        size="middle"
        loading={loaded.loading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(x) => ({ 'data-code': x.code, 'data-version': x.version, 'data-active': x.active }) as object}
        columns={[
          { title: t('assistance.measures.code'), key: 'code', dataIndex: 'code' },
          {
            title: t('assistance.measures.name'),
            key: 'name',
            render: (_, x) => (
              <div style={{ maxWidth: 320 }}>
                <div data-testid="measure-name">{lang === 'zh' ? x.nameZh : x.nameEn}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {lang === 'zh' ? x.nameEn : x.nameZh}
                </Typography.Text>
              </div>
            ),
          },
          {
            title: t('assistance.measures.departments'),
            key: 'departments',
            render: (_, x) => (
              <div style={{ maxWidth: 240 }} data-testid="measure-departments">
                {x.departments.map((d) => (
                  <Tag key={d}>{departmentLabel(m, d)}</Tag>
                ))}
              </div>
            ),
          },
          {
            title: t('assistance.measures.causes'),
            key: 'causes',
            render: (_, x) => (
              <Typography.Text style={{ maxWidth: 240, display: 'inline-block' }} data-testid="measure-causes">
                {causesText(m, x, lang)}
              </Typography.Text>
            ),
          },
          {
            title: t('assistance.measures.conditions'),
            key: 'conditions',
            render: (_, x) =>
              x.conditions.length ? (
                <div style={{ maxWidth: 220 }}>{x.conditions.map((c) => conditionLabel(m, c)).join('；')}</div>
              ) : (
                <Typography.Text type="secondary">{t('assistance.measures.noConditions')}</Typography.Text>
              ),
          },
          {
            title: t('assistance.measures.kind'),
            key: 'kind',
            render: (_, x) => <Tag color={x.kind === 'insurance' ? 'purple' : 'blue'}>{kindLabel(m, x.kind)}</Tag>,
          },
          {
            title: t('assistance.measures.amountLimit'),
            key: 'amountLimit',
            align: 'right',
            render: (_, x) => (
              <span data-testid="measure-amount-limit">
                {x.amountLimitYuan !== null ? yuanText(m, x.amountLimitYuan) : t('assistance.measures.noLimit')}
              </span>
            ),
          },
          {
            title: t('assistance.measures.dueDays'),
            key: 'dueDays',
            render: (_, x) => (
              <span data-testid="measure-due-days">
                {x.dueDays !== null
                  ? t('assistance.measures.days', { count: x.dueDays })
                  : t('assistance.measures.defaultDue')}
              </span>
            ),
          },
          {
            title: t('assistance.measures.active'),
            key: 'active',
            render: (_, x) => (
              <Tag color={x.active ? 'green' : 'default'} data-testid="measure-active">
                {x.active ? t('assistance.measures.enabled') : t('assistance.measures.disabled')}
              </Tag>
            ),
          },
          {
            title: t('assistance.measures.version'),
            key: 'version',
            render: (_, x) => (
              <Typography.Text type="secondary" style={{ whiteSpace: 'nowrap' }}>
                {x.version}
                {x.updatedBy ? ` · ${x.updatedBy}` : ''}
              </Typography.Text>
            ),
          },
          ...(mayEdit
            ? [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_: unknown, x: Measure) => (
                    <Button
                      size="small"
                      icon={<EditOutlined />}
                      onClick={() => setEditing(x)}
                      data-testid="measure-edit"
                    >
                      {t('common.edit')}
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
      <MeasureDialog
        measure={editing}
        onClose={() => setEditing(null)}
        onReload={() => {
          setEditing(null);
          reload();
        }}
        onSaved={(next) => {
          setEditing(null);
          setSaved((all) => new Map(all).set(next.code, next));
          void message.success(t('assistance.measures.saved'));
        }}
      />
    </div>
  );
}

function MeasureDialog({
  measure,
  onClose,
  onSaved,
  onReload,
}: {
  measure: Measure | null;
  onClose: () => void;
  onSaved: (m: Measure) => void;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const m = useMessages();
  const lang = currentLanguage();
  const [form] = Form.useForm<MeasureFields>();
  const answersAll = Form.useWatch('answersAll', form);
  const dialog = useDialogSubmit(form, measureItemOf);
  const error = dialog.error;
  const required = (field: string) => [{ required: true, message: t('assistance.measures.required', { field }) }];

  const close = () => {
    dialog.reset();
    onClose();
  };

  const submit = async (values: MeasureFields) => {
    if (!measure) return;
    await dialog.submit(async () => onSaved(await updateMeasure(measure, measureFieldsOf(values))));
  };

  const stale = error instanceof ApiError && error.status === 412;
  return (
    <Modal
      open={measure !== null}
      title={measure ? t('assistance.measures.editTitle', { code: measure.code }) : ''}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={dialog.saving}
      okButtonProps={{ 'data-testid': 'measure-save', disabled: stale }}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={640}
    >
      {stale ? (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('assistance.measures.conflict')}
          action={
            <Button size="small" onClick={onReload} data-testid="measure-reload">
              {t('common.refresh')}
            </Button>
          }
          data-testid="measure-conflict"
        />
      ) : (
        <ErrorAlert error={error} />
      )}
      {measure && (
        <Form
          form={form}
          layout="vertical"
          initialValues={measureFormValues(measure)}
          onFinish={(v) => void submit(v)}
          data-testid="measure-form"
        >
          <Form.Item
            name="nameZh"
            label={t('assistance.measures.nameZh')}
            rules={required(t('assistance.measures.nameZh'))}
          >
            <Input maxLength={100} data-testid="measure-name-zh" />
          </Form.Item>
          <Form.Item
            name="nameEn"
            label={t('assistance.measures.nameEn')}
            rules={required(t('assistance.measures.nameEn'))}
          >
            <Input maxLength={200} data-testid="measure-name-en" />
          </Form.Item>
          <Form.Item
            name="departments"
            label={t('assistance.measures.departments')}
            rules={required(t('assistance.measures.departments'))}
          >
            <Select
              mode="multiple"
              optionFilterProp="label"
              options={DEPARTMENTS.map((d) => ({ value: d, label: departmentLabel(m, d) }))}
              data-testid="measure-departments-input"
            />
          </Form.Item>
          <Form.Item name="answersAll" label={t('assistance.measures.answersAll')} valuePropName="checked">
            <Switch data-testid="measure-answers-all" />
          </Form.Item>
          {!answersAll && (
            <Form.Item
              name="causes"
              label={t('assistance.measures.causes')}
              rules={required(t('assistance.measures.causes'))}
            >
              <Select
                mode="multiple"
                options={FEATURE_CODES.map((c) => ({ value: c, label: causeLabel(c, lang) }))}
                data-testid="measure-causes-input"
              />
            </Form.Item>
          )}
          <Form.Item name="conditions" label={t('assistance.measures.conditions')}>
            <Select
              mode="multiple"
              options={ELIGIBILITY_CONDITIONS.map((c) => ({ value: c, label: conditionLabel(m, c) }))}
              data-testid="measure-conditions-input"
            />
          </Form.Item>
          <Form.Item name="kind" label={t('assistance.measures.kind')}>
            <Select
              options={(['policy', 'insurance'] as const).map((k) => ({ value: k, label: kindLabel(m, k) }))}
              data-testid="measure-kind-input"
            />
          </Form.Item>
          <Flex gap={16}>
            <Form.Item
              name="amountLimitYuan"
              label={t('assistance.measures.amountLimit')}
              extra={t('assistance.measures.amountHint')}
              style={{ flex: 1 }}
            >
              <InputNumber<number>
                min={0.01}
                precision={2}
                style={{ width: '100%' }}
                data-testid="measure-amount-input"
              />
            </Form.Item>
            <Form.Item
              name="dueDays"
              label={t('assistance.measures.dueDays')}
              extra={t('assistance.measures.dueDaysHint')}
              style={{ flex: 1 }}
            >
              <InputNumber<number>
                min={1}
                max={365}
                precision={0}
                style={{ width: '100%' }}
                data-testid="measure-due-input"
              />
            </Form.Item>
          </Flex>
          <Form.Item name="active" label={t('assistance.measures.active')} valuePropName="checked">
            <Switch
              checkedChildren={t('assistance.measures.enabled')}
              unCheckedChildren={t('assistance.measures.disabled')}
              data-testid="measure-active-input"
            />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}
