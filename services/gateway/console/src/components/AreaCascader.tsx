import { Cascader } from 'antd';
import { useMemo, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { areaChain, areaTree } from '../areas';

/**
 * An area within the user's scope (src/areas.ts), held as its code. `villagesOnly` for a household's
 * own village; otherwise any level may be chosen (a filter).
 */
export function AreaCascader({
  scope,
  value,
  onChange,
  villagesOnly = false,
  allowClear = false,
  ...rest
}: {
  scope: string;
  value?: string;
  onChange?: (code: string | undefined) => void;
  villagesOnly?: boolean;
  allowClear?: boolean;
  disabled?: boolean;
  id?: string;
  style?: CSSProperties;
  'data-testid'?: string;
}) {
  const { t } = useTranslation();
  const options = useMemo(() => areaTree(scope), [scope]);
  return (
    <Cascader
      {...rest}
      options={options}
      value={areaChain(scope, value)}
      changeOnSelect={!villagesOnly}
      allowClear={allowClear}
      showSearch={{ filter: (input, path) => path.some((o) => String(o.label).includes(input)) }}
      placeholder={t('area.placeholder')}
      onChange={(chain) => onChange?.(chain?.length ? String(chain[chain.length - 1]) : undefined)}
    />
  );
}
