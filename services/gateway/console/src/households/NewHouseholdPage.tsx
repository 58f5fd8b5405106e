// /console/households/new — registering a household (village cadre): the household form in create mode.
import { Button, Flex, Typography } from 'antd';
import { ArrowLeftOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { HouseholdForm } from './HouseholdForm';

export function NewHouseholdPage() {
  const { t } = useTranslation();
  return (
    <div data-testid="household-create">
      <Flex align="center" gap={8} style={{ marginBottom: 8 }}>
        <Link to="/households">
          <Button icon={<ArrowLeftOutlined />} type="text">
            {t('common.back')}
          </Button>
        </Link>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {t('household.detail.titleNew')}
        </Typography.Title>
      </Flex>
      <HouseholdForm mode="create" />
    </div>
  );
}
