import { type ConsentRecord, customer360Response } from '@lingxi/contracts/console-customers';
import { Card, Col, Input, Row, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { api } from '../api/client.ts';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { dateTime, label } from '../format.ts';
import { useApi } from '../hooks.ts';

/** Consent lookup: a customer's consent per purpose × channel with the full evidence history (from the 360 API). */
export function ConsentsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const id = Number(params.get('customer') ?? '');
  const valid = Number.isInteger(id) && id > 0;
  const view = useApi(() => api('GET', `/api/v1/customers/${id}/360`, customer360Response), [id], valid);
  const c = view.data;
  const columns = [
    { title: t('consent.purpose'), dataIndex: 'purpose', render: (v: string) => label('purposes', v) },
    { title: t('consent.channel'), dataIndex: 'channel', render: (v: string) => label('channels', v) },
    {
      title: t('consent.status'),
      dataIndex: 'status',
      render: (v: string) => <Tag color={v === 'granted' ? 'green' : 'default'}>{label('consentStatus', v)}</Tag>,
    },
    { title: t('consent.source'), dataIndex: 'source', render: (v: string) => label('consentSources', v) },
    { title: t('consent.notice'), dataIndex: 'notice_version' },
    { title: t('consent.recordedAt'), dataIndex: 'recorded_at', render: (v: string) => dateTime(v) },
  ];
  return (
    <Page title="nav.consents">
      <Card style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('consent.lookupHelp')}</Typography.Paragraph>
        <Input.Search
          aria-label={t('consent.lookup')}
          placeholder={t('consent.customerId')}
          defaultValue={valid ? String(id) : ''}
          enterButton={t('common.search')}
          inputMode="numeric"
          onSearch={(v) => setParams(/^\d+$/.test(v.trim()) ? { customer: v.trim() } : {})}
          style={{ maxWidth: 360 }}
        />
      </Card>
      <ErrorAlert error={view.error} />
      {c && (
        <Row gutter={[16, 16]}>
          <Col xs={24}>
            <Card
              title={`${t('consent.current')} · ${c.profile.name_masked} (${c.profile.id})`}
              extra={<Link to={`/customers/${c.profile.id}`}>{t('customer.title360')}</Link>}
            >
              <Table<ConsentRecord>
                size="small"
                rowKey={(r) => `${r.purpose}|${r.channel}`}
                dataSource={c.consents.current}
                pagination={false}
                columns={columns}
              />
            </Card>
          </Col>
          <Col xs={24}>
            <Card title={t('consent.history')}>
              <Table<ConsentRecord>
                size="small"
                rowKey={(r) => `${r.purpose}|${r.channel}|${r.recorded_at}|${r.status}`}
                dataSource={[...c.consents.history].reverse()}
                pagination={{ pageSize: 10, hideOnSinglePage: true }}
                columns={columns}
              />
            </Card>
          </Col>
        </Row>
      )}
    </Page>
  );
}
