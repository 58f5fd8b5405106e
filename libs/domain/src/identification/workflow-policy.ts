/**
 * The workflow parameters of one county (DOMAIN.md §6, every one *(param)*), with their defaults.
 * The registered poor population has no default: until the city sets it, the county's quota is not
 * configured and approvals are refused with a message saying so.
 */
import { z } from 'zod';
import { ratioMillionths } from './quota';

export interface WorkflowParams {
  registeredPoorPopulation: number;
  quotaRatio: number;
  overrideRatio: number;
  noticeDays: number;
  decisionDays: number;
}

export const DEFAULT_WORKFLOW_PARAMS: WorkflowParams = {
  registeredPoorPopulation: 0,
  quotaRatio: 0.05,
  overrideRatio: 0.1,
  noticeDays: 5,
  decisionDays: 15,
};

const ratio = z
  .number()
  .min(0)
  .max(1)
  .refine((r) => ratioMillionths(r) !== null, 'at most 6 decimal places');

export const workflowParamsSchema = z.strictObject({
  registeredPoorPopulation: z.number().int().min(0).max(10_000_000),
  quotaRatio: ratio,
  overrideRatio: ratio,
  noticeDays: z.number().int().min(1).max(60),
  decisionDays: z.number().int().min(1).max(365),
});
