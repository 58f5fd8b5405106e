import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import type { YesNo } from '../households/formModel';

/**
 * An optional yes/no fact: 是 / 否, or cleared for "not recorded" (absent in the household JSON, which
 * is not the same as no).
 */
export function YesNoSelect(props: {
  value?: YesNo;
  onChange?: (value: YesNo) => void;
  disabled?: boolean;
  id?: string;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  return (
    <Select<Exclude<YesNo, undefined>>
      {...props}
      allowClear
      placeholder={t('common.notRecorded')}
      options={[
        { value: 'yes', label: t('common.yes') },
        { value: 'no', label: t('common.no') },
      ]}
      onChange={(v) => props.onChange?.(v ?? undefined)}
    />
  );
}
