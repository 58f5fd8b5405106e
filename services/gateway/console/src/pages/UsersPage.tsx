import { PagePlaceholder } from '../components/PagePlaceholder';

/** /console/users — placeholder until its issue lands. */
export function UsersPage() {
  return <PagePlaceholder navKey="users" />;
}
