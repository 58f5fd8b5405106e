import { PagePlaceholder } from '../components/PagePlaceholder';

/** /console/households — placeholder until its issue lands. */
export function HouseholdsPage() {
  return <PagePlaceholder navKey="households" />;
}
