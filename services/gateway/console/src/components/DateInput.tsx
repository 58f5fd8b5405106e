import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';

const FORMAT = 'YYYY-MM-DD';

/** A date held as the API's YYYY-MM-DD text (undefined when empty), picked with antd's DatePicker. */
export function DateInput({
  value,
  onChange,
  ...rest
}: {
  value?: string;
  onChange?: (value: string | undefined) => void;
  disabled?: boolean;
  id?: string;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const parsed = value ? dayjs(value, FORMAT, true) : null;
  return (
    <DatePicker
      {...rest}
      style={{ width: '100%' }}
      format={FORMAT}
      placeholder={t('household.form.datePlaceholder')}
      value={parsed?.isValid() ? parsed : null}
      onChange={(d: Dayjs | null) => onChange?.(d ? d.format(FORMAT) : undefined)}
    />
  );
}
