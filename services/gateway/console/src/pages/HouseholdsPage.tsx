import { Route, Routes } from 'react-router';
import { RequirePermission } from '../auth/guards';
import { HouseholdDetail } from '../households/HouseholdDetail';
import { HouseholdList } from '../households/HouseholdList';
import { ImportPage } from '../households/ImportPage';
import { NewHouseholdPage } from '../households/NewHouseholdPage';
import { NotFoundPage } from './NotFoundPage';

/** /console/households/* — the list, a new household, the bulk import, and one household. */
export function HouseholdsPage() {
  return (
    <Routes>
      <Route index element={<HouseholdList />} />
      <Route
        path="new"
        element={
          <RequirePermission permission="households.write">
            <NewHouseholdPage />
          </RequirePermission>
        }
      />
      <Route
        path="import"
        element={
          <RequirePermission permission="households.import">
            <ImportPage />
          </RequirePermission>
        }
      />
      <Route path=":id" element={<HouseholdDetail />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
