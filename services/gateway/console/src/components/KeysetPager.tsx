import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Button, Flex, Space, Typography } from 'antd';
import { LeftOutlined, RightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

/**
 * Where a keyset-paged list is: the page tokens of the pages before this one (to go back) and the
 * token of this one. Reset it when a filter changes.
 */
export interface KeysetPages {
  pageToken: string | undefined;
  /** 1 for the first page. */
  number: number;
  back(): void;
  forward(token: string): void;
  reset(): void;
}

export function useKeysetPages(): KeysetPages {
  const [tokens, setTokens] = useState<string[]>([]);
  return {
    pageToken: tokens[tokens.length - 1],
    number: tokens.length + 1,
    back: () => setTokens((ts) => ts.slice(0, -1)),
    forward: (token) => setTokens((ts) => [...ts, token]),
    reset: () => setTokens([]),
  };
}

/**
 * A paged list's filters, kept in the address (going back from a row returns to the same list), and
 * its pages: changing a filter starts again at the first page. An empty value removes the filter.
 */
export function useListFilters() {
  const [params, setParams] = useSearchParams();
  const pages = useKeysetPages();
  const setFilters = (values: Record<string, string | undefined>) => {
    pages.reset();
    setParams(
      (p) => {
        for (const [k, v] of Object.entries(values)) {
          if (v) p.set(k, v);
          else p.delete(k);
        }
        return p;
      },
      { replace: true },
    );
  };
  return { params, pages, setFilters };
}

/** Under a list: its total, the page number, and previous / next (`<testId>-total`, `-prev`, `-next`). */
export function KeysetPager(props: {
  pages: KeysetPages;
  loaded: { data?: { total?: number; nextPageToken?: string | null }; loading: boolean };
  testId: string;
}) {
  const { t } = useTranslation();
  const { pages, loaded, testId } = props;
  const next = loaded.data?.nextPageToken;
  return (
    <Flex justify="space-between" align="center" style={{ marginTop: 16 }}>
      <Typography.Text type="secondary" data-testid={`${testId}-total`}>
        {t('common.total', { count: loaded.data?.total ?? 0 })}
      </Typography.Text>
      <Space>
        <Typography.Text type="secondary">{t('common.page', { page: pages.number })}</Typography.Text>
        <Button
          icon={<LeftOutlined />}
          disabled={pages.number === 1 || loaded.loading}
          onClick={pages.back}
          data-testid={`${testId}-prev`}
        >
          {t('common.prevPage')}
        </Button>
        <Button
          disabled={!next || loaded.loading}
          onClick={() => next && pages.forward(next)}
          data-testid={`${testId}-next`}
        >
          {t('common.nextPage')}
          <RightOutlined />
        </Button>
      </Space>
    </Flex>
  );
}
