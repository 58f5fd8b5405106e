// Department feeds (部门预警筛查): a department officer posts records of their department's feed.
import type { FeedDepartment } from '../feeds/feedForms';
import { api } from './client';

/** Posts a department's records (1–1000); the server answers 202 { accepted }. */
export async function postFeedRecords(department: FeedDepartment, records: object[]): Promise<number> {
  const res = await api<{ accepted: number }>(`/feeds/${department}`, {
    method: 'POST',
    body: JSON.stringify({ records }),
  });
  return res.accepted;
}
