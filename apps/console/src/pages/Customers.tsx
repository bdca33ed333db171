import { type CustomerSummary, customerSearchResponse } from '@lingxi/contracts/console-customers';
import { Card, Input, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api, withQuery } from '../api/client.ts';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { label } from '../format.ts';
import { useApi } from '../hooks.ts';

export function RiskTag({ level }: { level: string | null }) {
  const { t } = useTranslation();
  if (!level) return <Tag>{t('customer.riskUnknown')}</Tag>;
  const colors: Record<string, string> = { C1: 'green', C2: 'cyan', C3: 'blue', C4: 'orange', C5: 'red' };
  return (
    <Tag color={colors[level] ?? 'default'} data-testid="risk-level">
      {level}
    </Tag>
  );
}

export function CustomersPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const result = useApi(
    () => api('GET', withQuery('/api/v1/customers', { q, limit: 100 }), customerSearchResponse),
    [q],
    q.trim().length > 0,
  );

  const columns = [
    {
      title: t('customer.name'),
      dataIndex: 'nameMasked',
      render: (v: string, r: CustomerSummary) => <Link to={`/customers/${r.id}`}>{v}</Link>,
    },
    { title: t('customer.id'), dataIndex: 'id' },
    { title: t('customer.cif'), dataIndex: 'cif' },
    { title: t('customer.mobile'), dataIndex: 'mobileMasked', render: (v: string | null) => v ?? '–' },
    { title: t('customer.gender'), dataIndex: 'gender', render: (v: string) => label('gender', v) },
    { title: t('customer.birthYear'), dataIndex: 'birthYear' },
    { title: t('customer.city'), dataIndex: 'city' },
    { title: t('customer.branch'), dataIndex: 'homeBranchId', render: (v: string | null) => v ?? '–' },
    { title: t('customer.risk'), dataIndex: 'riskLevel', render: (v: string | null) => <RiskTag level={v} /> },
    { title: t('customer.status'), dataIndex: 'status', render: (v: string) => label('customerStatus', v) },
  ];

  return (
    <Page title="nav.customers">
      <Card style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t('customer.searchLabel')}
          placeholder={t('customer.searchPlaceholder')}
          defaultValue={q}
          enterButton={t('common.search')}
          allowClear
          maxLength={100}
          onSearch={(v) => setParams(v.trim() ? { q: v.trim() } : {})}
          style={{ maxWidth: 560 }}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('customer.searchHelp')}
        </Typography.Paragraph>
      </Card>
      <ErrorAlert error={result.error} />
      {q && (
        <Card
          title={t('customer.results', { count: result.data?.customers.length ?? 0 })}
          extra={
            result.data?.matchedBy.length ? (
              <Typography.Text type="secondary">
                {t('customer.matchedBy', {
                  kinds: result.data.matchedBy.map((k) => label('searchKinds', k)).join(t('common.listSep')),
                })}
              </Typography.Text>
            ) : null
          }
        >
          <Table<CustomerSummary>
            rowKey="id"
            size="middle"
            loading={result.loading}
            dataSource={result.data?.customers ?? []}
            columns={columns}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            scroll={{ x: 'max-content' }}
          />
        </Card>
      )}
    </Page>
  );
}
