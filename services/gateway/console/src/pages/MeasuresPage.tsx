import { PagePlaceholder } from '../components/PagePlaceholder';

/** /console/measures — placeholder until its page lands. */
export function MeasuresPage() {
  return <PagePlaceholder navKey="measures" />;
}
