import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { NAVIGATION, navigationFor } from '@shouwang/domain';
import { AuthProvider, useUser } from './auth/AuthContext';
import { RequireAuth, RequirePermission } from './auth/guards';
import { AppLayout } from './layout/AppLayout';
import { PAGES } from './navigation';
import { NotFoundPage } from './pages/NotFoundPage';
import { SignInPage } from './pages/SignInPage';

/** The gateway serves the console at /console/ (vite.config.mts `base`). */
const BASENAME = import.meta.env.BASE_URL.replace(/\/$/, '');

/** The start page: the first entry the role may use. */
function Home() {
  const user = useUser();
  const first = navigationFor(user.role)[0];
  return first ? <Navigate to={PAGES[first.key].path} replace /> : <NotFoundPage />;
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <AntApp>
        <AuthProvider>
          <BrowserRouter basename={BASENAME}>
            <Routes>
              <Route path="/sign-in" element={<SignInPage />} />
              <Route
                element={
                  <RequireAuth>
                    <AppLayout />
                  </RequireAuth>
                }
              >
                <Route index element={<Home />} />
                {NAVIGATION.map(({ key, permission }) => {
                  const { path, Page } = PAGES[key];
                  return (
                    <Route
                      key={key}
                      path={`${path}/*`}
                      element={
                        <RequirePermission permission={permission}>
                          <Page />
                        </RequirePermission>
                      }
                    />
                  );
                })}
                <Route path="*" element={<NotFoundPage />} />
              </Route>
            </Routes>
          </BrowserRouter>
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}
