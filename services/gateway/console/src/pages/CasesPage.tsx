import { PagePlaceholder } from '../components/PagePlaceholder';

/** /console/cases — placeholder until its page lands. */
export function CasesPage() {
  return <PagePlaceholder navKey="cases" />;
}
