import { PagePlaceholder } from '../components/PagePlaceholder';

/** /console/tasks — placeholder until its page lands. */
export function TasksPage() {
  return <PagePlaceholder navKey="tasks" />;
}
