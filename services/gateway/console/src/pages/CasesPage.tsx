import { Route, Routes } from 'react-router';
import { CaseBoard } from '../cases/CaseBoard';
import { CaseDetail } from '../cases/CaseDetail';
import { NotFoundPage } from './NotFoundPage';

/** /console/cases/* — the application board by step, and one case. */
export function CasesPage() {
  return (
    <Routes>
      <Route index element={<CaseBoard />} />
      <Route path=":id" element={<CaseDetail />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  );
}
