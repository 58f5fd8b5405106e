// 一户一表: the one form that registers a household (POST), shows it, and edits it (PUT with If-Match).
// Field names are the canonical paths (formModel.ts), so the server's field errors are shown inline on
// the very item they name; every error is also listed above the form.
import { useState, type ReactNode } from 'react';
import { Alert, App, Button, Card, Col, Flex, Form, Input, InputNumber, Row, Select, Space, theme } from 'antd';
import { DeleteOutlined, EditOutlined, PlusOutlined, ReloadOutlined, SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import {
  DISABILITY_GRADES,
  EDUCATION_LEVELS,
  HEALTH_STATES,
  HOUSING_STRUCTURES,
  LABOURS,
  POVERTY_STATUSES,
  RELATIONS,
  SAFETY_GRADES,
  SHOCK_TYPES,
  areaLevel,
  can,
} from '@shouwang/domain';
import { ApiError, type FieldError } from '../api/client';
import { createHousehold, updateHousehold, type StoredHousehold } from '../api/households';
import { useUser } from '../auth/AuthContext';
import { AreaCascader } from '../components/AreaCascader';
import { DateInput } from '../components/DateInput';
import { ErrorAlert } from '../components/ErrorAlert';
import { formFieldErrors } from '../components/fieldErrors';
import { YesNoSelect } from '../components/YesNoSelect';
import { currentLanguage, useMessages } from '../i18n';
import { emptyFormValues, namePath, toFormValues, toHousehold, type HouseholdFormValues } from './formModel';
import { pathLabel } from './labels';

type Props =
  | { mode: 'create' }
  | {
      mode: 'edit';
      stored: StoredHousehold;
      /** The version to send in If-Match. */
      version: number;
      onSaved: (household: StoredHousehold) => void;
      /** Loads the latest version (after a 412). */
      onReload: () => void;
    };

type Problem =
  { kind: 'conflict' } | { kind: 'fields'; error: ApiError; errors: FieldError[] } | { kind: 'other'; error: unknown };

/** Test hook of a form control: `field-members.0.idNumber` for ['members', 0, 'idNumber']. */
const testId = (...name: (string | number)[]) => `field-${name.join('.')}`;

/** One cell of the form's three-column grid. */
/** A member's optional fields in form order: a coded value (its codes), or yes / no (null). */
type MemberOptionalField =
  | 'labour'
  | 'mainLabour'
  | 'health'
  | 'disabilityGrade'
  | 'education'
  | 'inSchool'
  | 'employed'
  | 'hasGuardian'
  | 'hasSupporter';
const MEMBER_OPTIONAL_FIELDS: readonly (readonly [MemberOptionalField, readonly (string | number)[] | null])[] = [
  ['labour', LABOURS],
  ['mainLabour', null],
  ['health', HEALTH_STATES],
  ['disabilityGrade', DISABILITY_GRADES],
  ['education', EDUCATION_LEVELS],
  ['inSchool', null],
  ['employed', null],
  ['hasGuardian', null],
  ['hasSupporter', null],
];

function Cell({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return (
    <Col xs={24} md={wide ? 24 : 12} lg={wide ? 24 : 8}>
      {children}
    </Col>
  );
}

export function HouseholdForm(props: Props) {
  const { t } = useTranslation();
  const m = useMessages();
  const f = m.household.fields;
  const e = m.household.enums;
  const lang = currentLanguage();
  const user = useUser();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const { token } = theme.useToken();
  const [form] = Form.useForm<HouseholdFormValues>();
  const [editing, setEditing] = useState(props.mode === 'create');
  const [saving, setSaving] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const mayWrite = can(user.role, 'households.write');

  // The form is keyed by version in the detail page, so these are its values for its whole life.
  const [initialValues] = useState<HouseholdFormValues>(() =>
    props.mode === 'create'
      ? emptyFormValues(areaLevel(user.areaCode) === 'village' ? user.areaCode : undefined)
      : toFormValues(props.stored),
  );

  const options = <V extends string | number>(values: readonly V[], labels: Record<string, string>) =>
    values.map((v) => ({ value: v, label: labels[String(v)] ?? String(v) }));
  const notRecorded = t('common.notRecorded');
  const required = (label: string) => [{ required: true, message: t('household.form.required', { field: label }) }];

  const save = async () => {
    setSaving(true);
    setProblem(null);
    const household = toHousehold(form.getFieldsValue(true), props.mode === 'edit' ? props.stored : undefined);
    try {
      if (props.mode === 'create') {
        const created = await createHousehold(household);
        void message.success(t('household.form.created'));
        navigate(`/households/${encodeURIComponent(created.id)}`);
        return;
      }
      const { household: saved, changed } = await updateHousehold(props.stored.id, props.version, household);
      if (changed) void message.success(t('household.form.saved'));
      else void message.info(t('household.form.unchanged'));
      props.onSaved(saved);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 412 || err.code === 'version_conflict')) {
        setProblem({ kind: 'conflict' });
      } else if (err instanceof ApiError && err.fieldErrors.length > 0) {
        // Server paths are only known at run time; they are the form's own names (formModel.ts).
        form.setFields(formFieldErrors(err.fieldErrors, lang, namePath) as Parameters<typeof form.setFields>[0]);
        setProblem({ kind: 'fields', error: err, errors: err.fieldErrors });
      } else {
        setProblem({ kind: 'other', error: err });
      }
    } finally {
      setSaving(false);
    }
  };

  const cancel = () => {
    if (props.mode === 'create') {
      navigate('/households');
      return;
    }
    form.resetFields();
    setProblem(null);
    setEditing(false);
  };

  const duplicateOf = problem?.kind === 'fields' ? problem.error.body.details?.householdId : undefined;

  const buttons =
    editing || props.mode === 'create' ? (
      <Space>
        <Button onClick={cancel} disabled={saving} data-testid="household-cancel">
          {t('common.cancel')}
        </Button>
        <Button
          type="primary"
          icon={<SaveOutlined />}
          loading={saving}
          onClick={() => form.submit()}
          data-testid="household-save"
        >
          {t('common.save')}
        </Button>
      </Space>
    ) : mayWrite ? (
      <Button icon={<EditOutlined />} onClick={() => setEditing(true)} data-testid="household-edit">
        {t('common.edit')}
      </Button>
    ) : null;

  return (
    <div data-testid="household-form">
      {/* Stays in view while scrolling the long form, so saving never means scrolling back up. */}
      <Flex
        justify="flex-end"
        style={{
          position: 'sticky',
          top: 0,
          zIndex: 10,
          padding: '8px 0',
          marginBottom: 8,
          background: token.colorBgContainer,
        }}
      >
        {buttons}
      </Flex>

      {problem?.kind === 'conflict' && props.mode === 'edit' && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('household.form.conflict')}
          description={t('household.form.conflictNote')}
          action={
            <Button icon={<ReloadOutlined />} onClick={props.onReload} data-testid="household-reload">
              {t('household.form.reload')}
            </Button>
          }
          data-testid="household-conflict"
        />
      )}
      {problem?.kind === 'fields' && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={
            problem.error.code === 'duplicate_id_number'
              ? t('household.form.duplicate')
              : t('household.form.invalid', { count: problem.errors.length })
          }
          description={
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {problem.errors.map((fe, i) => (
                <li key={i}>
                  {fe.field ? `${pathLabel(fe.field, f)}：` : ''}
                  {lang === 'zh' ? (fe.messageZh ?? fe.message) : fe.message}
                </li>
              ))}
            </ul>
          }
          action={
            duplicateOf ? (
              <Link to={`/households/${encodeURIComponent(duplicateOf)}`}>{t('household.form.openDuplicate')}</Link>
            ) : undefined
          }
          data-testid="household-errors"
        />
      )}
      {problem?.kind === 'other' && <ErrorAlert error={problem.error} testId="household-save-error" />}

      <Form<HouseholdFormValues>
        form={form}
        layout="vertical"
        initialValues={initialValues}
        disabled={!editing || saving}
        onFinish={() => void save()}
        scrollToFirstError
      >
        <Card title={t('household.form.basic')} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Cell>
              <Form.Item name="areaCode" label={f.areaCode} rules={required(f.areaCode)}>
                <AreaCascader scope={user.areaCode} villagesOnly data-testid={testId('areaCode')} />
              </Form.Item>
            </Cell>
            <Cell>
              <Form.Item name="address" label={f.address} rules={required(f.address)}>
                <Input maxLength={200} data-testid={testId('address')} />
              </Form.Item>
            </Cell>
            <Cell>
              <Form.Item name="povertyStatus" label={f.povertyStatus} rules={required(f.povertyStatus)}>
                <Select options={options(POVERTY_STATUSES, e.povertyStatus)} data-testid={testId('povertyStatus')} />
              </Form.Item>
            </Cell>
            <Cell>
              <Form.Item name="nationalSystemId" label={f.nationalSystemId}>
                <Input maxLength={64} data-testid={testId('nationalSystemId')} />
              </Form.Item>
            </Cell>
          </Row>
        </Card>

        <Card title={t('household.form.members')} size="small" style={{ marginBottom: 16 }}>
          <Form.List name="members">
            {(fields, { add, remove }, { errors }) => (
              <Flex vertical gap={12}>
                {fields.map((field, index) => {
                  const name = (key: string) => [field.name, key];
                  const id = (key: string) => testId('members', index, key);
                  return (
                    <Card
                      key={field.key}
                      type="inner"
                      size="small"
                      title={t('household.form.member', { n: index + 1 })}
                      data-testid={`member-${index}`}
                      extra={
                        editing && fields.length > 1 ? (
                          <Button
                            danger
                            size="small"
                            icon={<DeleteOutlined />}
                            onClick={() => remove(field.name)}
                            data-testid={`member-remove-${index}`}
                          >
                            {t('household.form.removeMember')}
                          </Button>
                        ) : null
                      }
                    >
                      <Row gutter={16}>
                        <Cell>
                          <Form.Item name={name('name')} label={f.members.name} rules={required(f.members.name)}>
                            <Input maxLength={50} data-testid={id('name')} />
                          </Form.Item>
                        </Cell>
                        <Cell>
                          <Form.Item name={name('idNumber')} label={f.members.idNumber}>
                            <Input maxLength={18} autoComplete="off" data-testid={id('idNumber')} />
                          </Form.Item>
                        </Cell>
                        <Cell>
                          <Form.Item
                            name={name('relation')}
                            label={f.members.relation}
                            rules={required(f.members.relation)}
                          >
                            <Select options={options(RELATIONS, e.relation)} data-testid={id('relation')} />
                          </Form.Item>
                        </Cell>
                        <Cell>
                          <Form.Item name={name('birthDate')} label={f.members.birthDate}>
                            <DateInput data-testid={id('birthDate')} />
                          </Form.Item>
                        </Cell>
                        {MEMBER_OPTIONAL_FIELDS.map(([key, values]) => (
                          <Cell key={key}>
                            <Form.Item name={name(key)} label={f.members[key]}>
                              {values ? (
                                <Select
                                  allowClear
                                  placeholder={notRecorded}
                                  options={options(values, e[key as keyof typeof e])}
                                  data-testid={id(key)}
                                />
                              ) : (
                                <YesNoSelect data-testid={id(key)} />
                              )}
                            </Form.Item>
                          </Cell>
                        ))}
                      </Row>
                    </Card>
                  );
                })}
                <Form.ErrorList errors={errors} />
                {editing && (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="member-add">
                    {t('household.form.addMember')}
                  </Button>
                )}
              </Flex>
            )}
          </Form.List>
        </Card>

        <Card title={t('household.form.income')} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            {(['income', 'previousIncome'] as const).map((group) => (
              <Col xs={24} lg={12} key={group}>
                <Card type="inner" size="small" title={f[group]._}>
                  <Row gutter={16}>
                    {(['year', 'wage', 'business', 'property', 'transfer'] as const).map((key) => (
                      <Col xs={24} md={12} key={key}>
                        <Form.Item name={[group, key]} label={f[group][key]}>
                          <InputNumber style={{ width: '100%' }} controls={false} data-testid={testId(group, key)} />
                        </Form.Item>
                      </Col>
                    ))}
                  </Row>
                </Card>
              </Col>
            ))}
          </Row>
        </Card>

        <Row gutter={16}>
          <Col xs={24} lg={12}>
            <Card title={t('household.form.expenses')} size="small" style={{ marginBottom: 16 }}>
              <Row gutter={16}>
                {(['medicalSelfPaid', 'education'] as const).map((key) => (
                  <Col xs={24} md={12} key={key}>
                    <Form.Item name={['expenses', key]} label={f.expenses[key]}>
                      <InputNumber style={{ width: '100%' }} controls={false} data-testid={testId('expenses', key)} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
          <Col xs={24} lg={12}>
            <Card title={t('household.form.industry')} size="small" style={{ marginBottom: 16 }}>
              <Row gutter={16}>
                {(['covered', 'failedDueToForceMajeure'] as const).map((key) => (
                  <Col xs={24} md={12} key={key}>
                    <Form.Item name={['industry', key]} label={f.industry[key]}>
                      <YesNoSelect data-testid={testId('industry', key)} />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
            </Card>
          </Col>
        </Row>

        <Card title={t('household.form.housing')} size="small" style={{ marginBottom: 16 }}>
          <Row gutter={16}>
            <Cell>
              <Form.Item name={['housing', 'structure']} label={f.housing.structure}>
                <Select
                  allowClear
                  placeholder={notRecorded}
                  options={options(HOUSING_STRUCTURES, e.structure)}
                  data-testid={testId('housing', 'structure')}
                />
              </Form.Item>
            </Cell>
            <Cell>
              <Form.Item name={['housing', 'onlyHome']} label={f.housing.onlyHome}>
                <YesNoSelect data-testid={testId('housing', 'onlyHome')} />
              </Form.Item>
            </Cell>
            <Cell>
              <Form.Item name={['housing', 'safetyGrade']} label={f.housing.safetyGrade}>
                <Select
                  allowClear
                  placeholder={notRecorded}
                  options={options(SAFETY_GRADES, e.safetyGrade)}
                  data-testid={testId('housing', 'safetyGrade')}
                />
              </Form.Item>
            </Cell>
          </Row>
        </Card>

        <Card title={t('household.form.shocks')} size="small" style={{ marginBottom: 16 }}>
          <Form.List name="shocks">
            {(fields, { add, remove }) => (
              <Flex vertical gap={12}>
                {fields.map((field, index) => (
                  <Card
                    key={field.key}
                    type="inner"
                    size="small"
                    title={`${f.shocks._} ${index + 1}`}
                    extra={
                      editing ? (
                        <Button danger size="small" icon={<DeleteOutlined />} onClick={() => remove(field.name)}>
                          {t('common.remove')}
                        </Button>
                      ) : null
                    }
                  >
                    <Row gutter={16}>
                      <Cell>
                        <Form.Item name={[field.name, 'type']} label={f.shocks.type} rules={required(f.shocks.type)}>
                          <Select
                            options={options(SHOCK_TYPES, e.type)}
                            data-testid={testId('shocks', index, 'type')}
                          />
                        </Form.Item>
                      </Cell>
                      <Cell>
                        <Form.Item name={[field.name, 'date']} label={f.shocks.date} rules={required(f.shocks.date)}>
                          <DateInput data-testid={testId('shocks', index, 'date')} />
                        </Form.Item>
                      </Cell>
                      <Cell>
                        <Form.Item
                          name={[field.name, 'mainLabourLostOrDisabled']}
                          label={f.shocks.mainLabourLostOrDisabled}
                        >
                          <YesNoSelect />
                        </Form.Item>
                      </Cell>
                      <Cell>
                        <Form.Item name={[field.name, 'expense']} label={f.shocks.expense}>
                          <InputNumber style={{ width: '100%' }} controls={false} />
                        </Form.Item>
                      </Cell>
                      <Cell>
                        <Form.Item
                          name={[field.name, 'incomeDropRatio']}
                          label={f.shocks.incomeDropRatio}
                          extra={t('household.form.ratioHint')}
                        >
                          <InputNumber style={{ width: '100%' }} step={0.05} />
                        </Form.Item>
                      </Cell>
                    </Row>
                  </Card>
                ))}
                {editing && (
                  <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({})} data-testid="shock-add">
                    {t('household.form.addShock')}
                  </Button>
                )}
              </Flex>
            )}
          </Form.List>
        </Card>

        <Card title={t('household.form.other')} size="small">
          <Row gutter={16}>
            <Cell>
              <Form.Item name="drinkingWaterSafe" label={f.drinkingWaterSafe}>
                <YesNoSelect data-testid={testId('drinkingWaterSafe')} />
              </Form.Item>
            </Cell>
            <Cell>
              <Form.Item name="medicalInsuranceEnrolled" label={f.medicalInsuranceEnrolled}>
                <YesNoSelect data-testid={testId('medicalInsuranceEnrolled')} />
              </Form.Item>
            </Cell>
            <Cell>
              <Form.Item name={['assets', 'car']} label={f.assets.car}>
                <YesNoSelect data-testid={testId('assets', 'car')} />
              </Form.Item>
            </Cell>
            <Cell>
              <Form.Item name={['assets', 'commercialHousing']} label={f.assets.commercialHousing}>
                <YesNoSelect data-testid={testId('assets', 'commercialHousing')} />
              </Form.Item>
            </Cell>
            <Cell>
              <Form.Item name={['specialHardship', 'flag']} label={f.specialHardship.flag}>
                <YesNoSelect data-testid={testId('specialHardship', 'flag')} />
              </Form.Item>
            </Cell>
            <Cell>
              <Form.Item name={['specialHardship', 'reason']} label={f.specialHardship.reason}>
                <Input maxLength={500} data-testid={testId('specialHardship', 'reason')} />
              </Form.Item>
            </Cell>
          </Row>
        </Card>
      </Form>
    </div>
  );
}
