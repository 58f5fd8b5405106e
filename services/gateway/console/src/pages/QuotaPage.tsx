import { PagePlaceholder } from '../components/PagePlaceholder';

/** /console/quota — placeholder until its page lands. */
export function QuotaPage() {
  return <PagePlaceholder navKey="quota" />;
}
