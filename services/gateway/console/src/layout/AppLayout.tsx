// The signed-in frame: header (user, role, area, language, sign-out), the role's navigation, content.
import { useState } from 'react';
import { Button, Layout, Menu, Space, Tag, Tooltip, Typography, theme } from 'antd';
import { EnvironmentOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import { DEPARTMENTS, ROLE_NAMES, navigationFor, type Department } from '@shouwang/domain';
import { useAuth, useUser } from '../auth/AuthContext';
import { areaPath } from '../areas';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { currentLanguage } from '../i18n';
import { PAGES, navLabel } from '../navigation';

const isDepartment = (d: string): d is Department => (DEPARTMENTS as readonly string[]).includes(d);

export function AppLayout() {
  const { t } = useTranslation();
  const { signOut } = useAuth();
  const user = useUser();
  const location = useLocation();
  const { token } = theme.useToken();
  const [signingOut, setSigningOut] = useState(false);
  const lang = currentLanguage();

  const entries = navigationFor(user.role);
  const selected = entries.filter((e) => location.pathname.startsWith(PAGES[e.key].path)).map((e) => e.key);
  const area = areaPath(user.areaCode);
  const department = user.department
    ? isDepartment(user.department)
      ? t(`departments.${user.department}`)
      : user.department
    : null;

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{
          display: 'flex',
          alignItems: 'center',
          gap: 16,
          paddingInline: 24,
          background: token.colorBgContainer,
          borderBottom: `1px solid ${token.colorBorderSecondary}`,
        }}
      >
        {/* The title gives way (ellipsis) to the user's details, which never wrap. */}
        <Link to="/" style={{ display: 'flex', alignItems: 'baseline', gap: 12, minWidth: 0, flex: '1 1 auto' }}>
          <Typography.Title level={4} style={{ margin: 0, whiteSpace: 'nowrap' }}>
            {t('app.name')}
          </Typography.Title>
          <Typography.Text type="secondary" ellipsis>
            {t('app.subtitle')}
          </Typography.Text>
        </Link>
        <Space size="middle" style={{ flex: 'none', whiteSpace: 'nowrap' }} data-testid="user-info">
          <Space size={4}>
            <UserOutlined />
            <Typography.Text strong data-testid="user-name">
              {user.displayName}
            </Typography.Text>
          </Space>
          <Tooltip title={t('layout.role')}>
            <Tag color="blue" data-testid="user-role" style={{ marginInlineEnd: 0 }}>
              {ROLE_NAMES[user.role][lang]}
            </Tag>
          </Tooltip>
          {department && (
            <Tooltip title={t('layout.department')}>
              <Tag data-testid="user-department" style={{ marginInlineEnd: 0 }}>
                {department}
              </Tag>
            </Tooltip>
          )}
          <Tooltip title={t('layout.area')}>
            <Space size={4} data-testid="user-area">
              <EnvironmentOutlined />
              <span>
                {area ? `${area} ` : ''}
                <Typography.Text type="secondary">{user.areaCode}</Typography.Text>
              </span>
            </Space>
          </Tooltip>
          <LanguageSwitch />
          <Button
            icon={<LogoutOutlined />}
            loading={signingOut}
            data-testid="sign-out"
            onClick={() => {
              setSigningOut(true);
              void signOut();
            }}
          >
            {t('layout.signOut')}
          </Button>
        </Space>
      </Layout.Header>
      <Layout>
        <Layout.Sider width={200} breakpoint="lg" collapsedWidth={0} theme="light" aria-label={t('layout.navigation')}>
          <Menu
            mode="inline"
            selectedKeys={selected}
            style={{ height: '100%', borderInlineEnd: 0 }}
            data-testid="nav"
            items={entries.map((e) => ({
              key: e.key,
              icon: PAGES[e.key].icon,
              label: (
                <Link to={PAGES[e.key].path} data-testid={`nav-${e.key}`}>
                  {navLabel(e, lang)}
                </Link>
              ),
            }))}
          />
        </Layout.Sider>
        <Layout.Content style={{ margin: 24, padding: 24, background: token.colorBgContainer, borderRadius: 8 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
