import { PagePlaceholder } from '../components/PagePlaceholder';

/** /console/violations — placeholder until its page lands. */
export function ViolationsPage() {
  return <PagePlaceholder navKey="violations" />;
}
