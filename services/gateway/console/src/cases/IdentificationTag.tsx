// A household's identification (相对贫困户): identified since when, or exited, or none.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { getIdentification, type Identification } from '../api/cases';
import { useLoad } from '../components/useLoad';

const COLORS = { none: 'default', identified: 'red', exited: 'gold' } as const;

/** Loads the household's identification and shows it (nothing while loading or when it cannot be read). */
export function IdentificationTag({ householdId, reloadKey }: { householdId: string; reloadKey?: unknown }) {
  const loaded = useLoad(() => getIdentification(householdId), [householdId, reloadKey]);
  return <IdentificationStatus identification={loaded.data} />;
}

/** An identification already loaded by the page; nothing when there is none (the rest of the page stands). */
export function IdentificationStatus({ identification }: { identification: Identification | undefined | null }) {
  const { t } = useTranslation();
  if (!identification) return null;
  const status = identification.status in COLORS ? identification.status : 'none';
  return (
    <Tag color={COLORS[status]} data-testid="identification-status" data-status={status}>
      {t(`cases.identification.${status}`)}
      {status === 'identified' && identification.policyStartDate
        ? ` · ${t('cases.identification.since', { date: identification.policyStartDate })}`
        : ''}
    </Tag>
  );
}
