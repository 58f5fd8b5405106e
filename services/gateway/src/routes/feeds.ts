import { Router } from 'express';
import type { Metadata } from '@grpc/grpc-js';
import { FEED_DEPARTMENTS, type FeedDepartment, type monitoringV1 } from '@shouwang/contracts';
import { AppError, type Identity, type PromiseClient } from '@shouwang/kit';
import { authorize, currentUser } from '../auth/middleware';

export const MAX_FEED_RECORDS = 1000;

/** A department officer posts their own department's feed only; health officers may post medical insurance. */
export function mayPostFeed(user: Identity, department: FeedDepartment): boolean {
  return user.department === department || (user.department === 'health' && department === 'medical_insurance');
}

/**
 * Department feeds over REST (部门预警筛查) for departments that do not speak Kafka: the records are
 * validated by the monitoring service (every problem named as records[i].<field>, nothing published
 * when any record is invalid) and published unchanged to shouwang.feed.<department>.v1.
 */
export function feedsRouter(
  monitoring: PromiseClient<monitoringV1.MonitoringServiceClient>,
  callAs: (who: Identity) => Promise<Metadata>,
): Router {
  const router = Router();

  router.post('/:department', authorize('feeds.publish'), async (req, res) => {
    const user = currentUser(res.locals);
    const department = String(req.params.department);
    if (!(FEED_DEPARTMENTS as readonly string[]).includes(department))
      throw new AppError('not_found', `no feed for department ${department.slice(0, 40)}`, {
        code: 'unknown_department',
        field: 'department',
        messageZh: '该部门没有数据报送接口',
      });
    if (!mayPostFeed(user, department as FeedDepartment))
      throw new AppError('permission_denied', `you may post only your own department's feed`, {
        code: 'wrong_department',
        field: 'department',
        messageZh: '只能报送本部门的数据',
      });
    const records = (req.body as { records?: unknown } | undefined)?.records;
    if (!Array.isArray(records) || records.length < 1 || records.length > MAX_FEED_RECORDS)
      throw AppError.invalid([
        {
          field: 'records',
          code: Array.isArray(records) ? (records.length < 1 ? 'too_small' : 'too_big') : 'required',
          message: `must be an array of 1 to ${MAX_FEED_RECORDS} records`,
          messageZh: `须为1至${MAX_FEED_RECORDS}条记录的数组`,
        },
      ]);
    const { accepted } = await monitoring.publishFeedRecords(
      { department, recordsJson: JSON.stringify(records) },
      { metadata: await callAs(user) },
    );
    res.status(202).json({ accepted });
  });

  return router;
}
