import { PagePlaceholder } from '../components/PagePlaceholder';

/** /console/audit — placeholder until its issue lands. */
export function AuditPage() {
  return <PagePlaceholder navKey="audit" />;
}
