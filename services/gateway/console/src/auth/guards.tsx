import type { ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { Flex, Spin } from 'antd';
import { can, type Permission } from '@shouwang/domain';
import { useAuth } from './AuthContext';
import { ForbiddenPage } from '../pages/ForbiddenPage';

/** Renders its children for a signed-in user; sends everyone else to sign-in, remembering where they were. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { state } = useAuth();
  const location = useLocation();
  if (state.status === 'restoring') return <FullPageSpin />;
  if (state.status === 'signedOut') {
    // After a sign-out the next user starts afresh; after an expiry or a deep link they come back here.
    const from = state.reason === 'signedOut' ? undefined : location.pathname + location.search;
    return <Navigate to="/sign-in" replace state={{ from, reason: state.reason }} />;
  }
  return children;
}

/** Renders its children only for a role holding the permission (the gateway checks again on every call). */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const { state } = useAuth();
  if (state.status !== 'signedIn' || !can(state.user.role, permission)) return <ForbiddenPage />;
  return children;
}

export function FullPageSpin() {
  return (
    <Flex align="center" justify="center" style={{ minHeight: '100vh' }}>
      <Spin size="large" />
    </Flex>
  );
}
