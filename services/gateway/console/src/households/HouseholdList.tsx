// /console/households — the households of an area: search, filter, page through, open one.
import { useState } from 'react';
import { Button, Flex, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { POVERTY_STATUSES, can, type PovertyStatus } from '@shouwang/domain';
import { listHouseholds, type StoredHousehold } from '../api/households';
import { areaPath } from '../areas';
import { useUser } from '../auth/AuthContext';
import { AreaCascader } from '../components/AreaCascader';
import { ErrorAlert } from '../components/ErrorAlert';
import { useLoad } from '../components/useLoad';
import { currentLanguage, useMessages } from '../i18n';
import { navEntry, navLabel } from '../navigation';
import { KeysetPager, useListFilters } from '../components/KeysetPager';

const PAGE_SIZE = 20;
const STATUS_COLORS: Record<PovertyStatus, string> = { none: 'default', registered_poor: 'red', exited_poor: 'gold' };

export function HouseholdList() {
  const { t } = useTranslation();
  const m = useMessages();
  const user = useUser();
  const navigate = useNavigate();
  // Filters live in the address, so going back from a household returns to the same list.
  const { params, pages, setFilters } = useListFilters();
  const areaCode = params.get('area') ?? user.areaCode;
  const q = params.get('q') ?? '';
  const povertyStatus = (params.get('status') ?? undefined) as PovertyStatus | undefined;
  const pageToken = pages.pageToken;
  const [typed, setTyped] = useState(q);

  const page = useLoad(
    () => listHouseholds({ areaCode, q: q || undefined, povertyStatus, pageSize: PAGE_SIZE, pageToken }),
    [areaCode, q, povertyStatus, pageToken],
  );

  const setFilter = (key: string, value: string | undefined) => {
    setFilters({ [key]: value });
  };

  const headOf = (h: StoredHousehold) => h.members.find((mb) => mb.relation === 'head') ?? h.members[0];
  const open = (h: StoredHousehold) => navigate(`/households/${encodeURIComponent(h.id)}`);

  return (
    <div data-testid="page-households">
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 16 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {navLabel(navEntry('households'), currentLanguage())}
        </Typography.Title>
        <Space>
          {can(user.role, 'households.import') && (
            <Link to="/households/import">
              <Button icon={<ImportOutlined />} data-testid="household-import">
                {t('household.list.import')}
              </Button>
            </Link>
          )}
          {can(user.role, 'households.write') && (
            <Link to="/households/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="household-new">
                {t('household.list.create')}
              </Button>
            </Link>
          )}
        </Space>
      </Flex>

      <Flex wrap gap={8} style={{ marginBottom: 16 }}>
        <AreaCascader
          scope={user.areaCode}
          value={areaCode}
          onChange={(code) => setFilter('area', code && code !== user.areaCode ? code : undefined)}
          style={{ minWidth: 260 }}
          data-testid="household-area-filter"
        />
        <Input.Search
          allowClear
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          onSearch={(value) => setFilter('q', value.trim() || undefined)}
          placeholder={t('household.list.searchPlaceholder')}
          enterButton={t('common.search')}
          style={{ width: 320 }}
          data-testid="household-search"
        />
        <Select<PovertyStatus>
          allowClear
          value={povertyStatus}
          onChange={(v) => setFilter('status', v)}
          placeholder={t('household.list.allStatuses')}
          options={POVERTY_STATUSES.map((s) => ({ value: s, label: m.household.enums.povertyStatus[s] }))}
          style={{ width: 180 }}
          data-testid="household-status-filter"
        />
      </Flex>

      <ErrorAlert error={page.error} />
      <Table<StoredHousehold>
        data-testid="household-table"
        rowKey="id"
        size="middle"
        loading={page.loading}
        dataSource={page.data?.households ?? []}
        pagination={false}
        locale={{ emptyText: t('household.list.empty') }}
        onRow={(h) => ({ onClick: () => open(h), style: { cursor: 'pointer' } })}
        columns={[
          {
            title: t('household.list.head'),
            key: 'head',
            render: (_, h) => (
              <Link to={`/households/${encodeURIComponent(h.id)}`} onClick={(e) => e.stopPropagation()}>
                {headOf(h)?.name ?? h.id}
              </Link>
            ),
          },
          { title: t('household.list.members'), key: 'members', render: (_, h) => h.members.length },
          { title: m.household.fields.address, dataIndex: 'address' },
          { title: t('area.label'), key: 'area', render: (_, h) => areaPath(h.areaCode) ?? h.areaCode },
          {
            title: m.household.fields.povertyStatus,
            key: 'povertyStatus',
            render: (_, h) => (
              <Tag color={STATUS_COLORS[h.povertyStatus]}>{m.household.enums.povertyStatus[h.povertyStatus]}</Tag>
            ),
          },
          {
            title: t('household.list.updatedAt'),
            key: 'updatedAt',
            render: (_, h) => (h.updatedAt ? dayjs(h.updatedAt).format('YYYY-MM-DD HH:mm') : t('common.none')),
          },
        ]}
      />
      <KeysetPager pages={pages} loaded={page} testId="household" />
    </div>
  );
}
