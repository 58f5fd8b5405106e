// The console's pages, one per entry of the domain's NAVIGATION table (which decides who sees what).
// A later issue fills a page by replacing its component in src/pages/; a new NAVIGATION entry fails
// to compile here until it has a page.
import type { ComponentType, ReactNode } from 'react';
import {
  AlertOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudUploadOutlined,
  CarryOutOutlined,
  AppstoreOutlined,
  DashboardOutlined,
  ExportOutlined,
  FileDoneOutlined,
  StopOutlined,
  HomeOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import { NAVIGATION } from '@shouwang/domain';
import type { Language } from './i18n';
import { AuditPage } from './pages/AuditPage';
import { MeasuresPage } from './pages/MeasuresPage';
import { TasksPage } from './pages/TasksPage';
import { CasesPage } from './pages/CasesPage';
import { ExitsPage } from './pages/ExitsPage';
import { QuotaPage } from './pages/QuotaPage';
import { ViolationsPage } from './pages/ViolationsPage';
import { FeedsPage } from './pages/FeedsPage';
import { HouseholdsPage } from './pages/HouseholdsPage';
import { ReportsPage } from './pages/ReportsPage';
import { UsersPage } from './pages/UsersPage';
import { WarningsPage } from './pages/WarningsPage';

export type NavEntry = (typeof NAVIGATION)[number];
export type NavKey = NavEntry['key'];

export const PAGES: Record<NavKey, { path: string; icon: ReactNode; Page: ComponentType }> = {
  households: { path: '/households', icon: <HomeOutlined />, Page: HouseholdsPage },
  warnings: { path: '/warnings', icon: <AlertOutlined />, Page: WarningsPage },
  cases: { path: '/cases', icon: <FileDoneOutlined />, Page: CasesPage },
  exits: { path: '/exits', icon: <ExportOutlined />, Page: ExitsPage },
  quota: { path: '/quota', icon: <DashboardOutlined />, Page: QuotaPage },
  violations: { path: '/violations', icon: <StopOutlined />, Page: ViolationsPage },
  tasks: { path: '/tasks', icon: <CarryOutOutlined />, Page: TasksPage },
  measures: { path: '/measures', icon: <AppstoreOutlined />, Page: MeasuresPage },
  feeds: { path: '/feeds', icon: <CloudUploadOutlined />, Page: FeedsPage },
  reports: { path: '/reports', icon: <BarChartOutlined />, Page: ReportsPage },
  users: { path: '/users', icon: <TeamOutlined />, Page: UsersPage },
  audit: { path: '/audit', icon: <AuditOutlined />, Page: AuditPage },
};

export function navLabel(entry: { zh: string; en: string }, lang: Language): string {
  return lang === 'zh' ? entry.zh : entry.en;
}

export function navEntry(key: NavKey): NavEntry {
  return NAVIGATION.find((n) => n.key === key)!;
}
