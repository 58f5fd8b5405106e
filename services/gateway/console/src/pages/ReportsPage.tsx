import { PagePlaceholder } from '../components/PagePlaceholder';

/** /console/reports — placeholder until its issue lands. */
export function ReportsPage() {
  return <PagePlaceholder navKey="reports" />;
}
