// A household's identification (相对贫困户): identified since when, or exited, or none.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { getIdentification } from '../api/cases';
import { useLoad } from '../components/useLoad';

const COLORS = { none: 'default', identified: 'red', exited: 'gold' } as const;

/** Nothing while loading or when the identification cannot be read (the rest of the page stands). */
export function IdentificationTag({ householdId, reloadKey }: { householdId: string; reloadKey?: unknown }) {
  const { t } = useTranslation();
  const loaded = useLoad(() => getIdentification(householdId), [householdId, reloadKey]);
  const id = loaded.data;
  if (!id) return null;
  const status = id.status in COLORS ? id.status : 'none';
  return (
    <Tag color={COLORS[status]} data-testid="identification-status" data-status={status}>
      {t(`cases.identification.${status}`)}
      {status === 'identified' && id.policyStartDate
        ? ` · ${t('cases.identification.since', { date: id.policyStartDate })}`
        : ''}
    </Tag>
  );
}
