import { PagePlaceholder } from '../components/PagePlaceholder';

/** /console/exits — placeholder until its page lands. */
export function ExitsPage() {
  return <PagePlaceholder navKey="exits" />;
}
