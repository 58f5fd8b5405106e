/**
 * Roles of DOMAIN.md §1 and what each may use. The gateway's route checks, the services' own checks
 * and the web console's navigation all read this one table.
 */
export const ROLES = [
  'village_cadre',
  'township_officer',
  'county_officer',
  'department_officer',
  'city_admin',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, { zh: string; en: string }> = {
  village_cadre: { zh: '村干部', en: 'Village cadre' },
  township_officer: { zh: '乡镇干部', en: 'Township officer' },
  county_officer: { zh: '县扶贫办', en: 'County officer' },
  department_officer: { zh: '行业部门', en: 'Department officer' },
  city_admin: { zh: '市领导小组', en: 'City administrator' },
  auditor: { zh: '审计督导', en: 'Auditor' },
};

/** Departments of DOMAIN.md §1 (a department officer belongs to exactly one). */
export const DEPARTMENTS = [
  'health',
  'medical_insurance',
  'civil_affairs',
  'education',
  'human_resources',
  'agriculture',
  'emergency_management',
  'disabled_persons_federation',
  'housing',
  'public_security',
  'natural_resources',
  'insurer',
  // Further responsible units of the measures (DOMAIN.md §8).
  'finance_office',
  'banking_regulator',
  'poverty_office',
  'propaganda',
  'organisation',
  'federation_of_industry_and_commerce',
] as const;
export type Department = (typeof DEPARTMENTS)[number];

/** Departments that publish a data feed (DOMAIN.md §5), each on its own topic shouwang.feed.<department>.v1. */
export const FEED_DEPARTMENTS = [
  'medical_insurance',
  'emergency_management',
  'disabled_persons_federation',
  'education',
  'civil_affairs',
  'human_resources',
  'public_security',
  'natural_resources',
] as const satisfies readonly Department[];
export type FeedDepartment = (typeof FEED_DEPARTMENTS)[number];

/** What a caller may do; a route or RPC names the one permission it needs. */
export const PERMISSIONS = {
  'households.read': ['village_cadre', 'township_officer', 'county_officer', 'city_admin', 'auditor'],
  'households.write': ['village_cadre'],
  // Bulk import creates and updates households anywhere in the caller's area (a county office loads a whole county).
  'households.import': ['village_cadre', 'township_officer', 'county_officer'],
  'households.read_id_numbers': ['village_cadre', 'township_officer', 'county_officer'],
  'reports.read': [
    'village_cadre',
    'township_officer',
    'county_officer',
    'department_officer',
    'city_admin',
    'auditor',
  ],
  'warnings.read': ['village_cadre', 'township_officer', 'county_officer', 'city_admin', 'auditor'],
  // Acknowledge, dismiss with a reason, convert to an application.
  'warnings.manage': ['village_cadre', 'township_officer', 'county_officer'],
  // A department officer posts records of their own department's feed only.
  'feeds.publish': ['department_officer'],
  // Assessment policy (monitoring lines, tolerance, thresholds) per year and county.
  'policy.manage': ['city_admin'],
  'rescreening.run': ['county_officer', 'city_admin'],
  // Identification and exit cases (DOMAIN.md §6, §7): who may see them; which step a role may take is
  // decided by the procedure table (libs/domain/src/identification/procedure.ts).
  'cases.read': ['village_cadre', 'township_officer', 'county_officer', 'city_admin', 'auditor'],
  'cases.act': ['village_cadre', 'township_officer', 'county_officer'],
  // Submitting applications and starting exits happen in the village.
  'cases.submit': ['village_cadre'],
  // Direct inclusion of households already in the national system (已经录入系统的).
  'cases.include_directly': ['county_officer'],
  'quota.read': ['township_officer', 'county_officer', 'city_admin', 'auditor'],
  'violations.read': ['county_officer', 'city_admin', 'auditor'],
  'violations.decide': ['county_officer'],
  // Assistance (DOMAIN.md §8): plans, department tasks, the measure catalogue, motivation points.
  'assistance.read': [
    'village_cadre',
    'township_officer',
    'county_officer',
    'department_officer',
    'city_admin',
    'auditor',
  ],
  // Add, drop (with reason) or adjust a household's measures; accept or reject proposed changes.
  'assistance.plan.manage': ['village_cadre', 'county_officer'],
  // Accept, deliver or decline the tasks of one's own department.
  'assistance.tasks.work': ['department_officer'],
  'assistance.catalogue.manage': ['city_admin'],
  // Points earned and spent (love supermarket) and red/black list entries are recorded in the village.
  'assistance.points.record': ['village_cadre'],
  'users.manage': ['city_admin'],
  'audit.read': ['auditor', 'city_admin'],
} as const satisfies Record<string, readonly Role[]>;
export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** The web console's navigation: an entry shows only to the roles holding its permission. */
export const NAVIGATION = [
  { key: 'households', permission: 'households.read', zh: '农户档案', en: 'Households' },
  { key: 'warnings', permission: 'warnings.read', zh: '预警处置', en: 'Warnings' },
  { key: 'cases', permission: 'cases.read', zh: '识别认定', en: 'Applications' },
  { key: 'exits', permission: 'cases.read', zh: '退出研判', en: 'Exits' },
  { key: 'quota', permission: 'quota.read', zh: '规模控制', en: 'County quota' },
  { key: 'violations', permission: 'violations.read', zh: '违诺处置', en: 'Violations' },
  { key: 'feeds', permission: 'feeds.publish', zh: '部门数据', en: 'Department feeds' },
  { key: 'tasks', permission: 'assistance.read', zh: '帮扶任务', en: 'Assistance tasks' },
  { key: 'measures', permission: 'assistance.read', zh: '帮扶措施库', en: 'Measure catalogue' },
  { key: 'reports', permission: 'reports.read', zh: '统计报表', en: 'Reports' },
  { key: 'users', permission: 'users.manage', zh: '用户管理', en: 'Users' },
  { key: 'audit', permission: 'audit.read', zh: '审计日志', en: 'Audit trail' },
] as const satisfies readonly { key: string; permission: Permission; zh: string; en: string }[];

export function navigationFor(role: Role) {
  return NAVIGATION.filter((n) => can(role, n.permission));
}
