import {
  type Customer360,
  c360Scores,
  customer360Response,
  type UnmaskableField,
  type UnmaskResponse,
  unmaskResponse,
} from '@lingxi/contracts/console-customers';
import { h5LinkResponse } from '@lingxi/contracts/console-h5';
import { customerTagsResponse, tagListResponse } from '@lingxi/contracts/tags';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Dropdown,
  Empty,
  Form,
  Input,
  Modal,
  Progress,
  Row,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { api, toError } from '../api/client.ts';
import { useAuth } from '../auth.tsx';
import { Chart } from '../components/Chart.tsx';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { bi, dateTime, label, yuan, yuanCompact } from '../format.ts';
import { useApi } from '../hooks.ts';
import { RiskTag } from './Customers.tsx';

function UnmaskDialog({
  id,
  open,
  onClose,
  onDone,
}: {
  id: number;
  open: boolean;
  onClose(): void;
  onDone(r: UnmaskResponse): void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason: string; fields: UnmaskableField[] }>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { reason: string; fields: UnmaskableField[] }) => {
    setBusy(true);
    setError(undefined);
    try {
      onDone(await api('POST', `/api/v1/customers/${id}/unmask`, unmaskResponse, v));
      form.resetFields();
    } catch (e) {
      setError(toError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('customer.unmaskTitle')}
      onCancel={onClose}
      okText={t('customer.unmaskConfirm')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('customer.unmaskNotice')}</Typography.Paragraph>
      <ErrorAlert error={error} />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ fields: ['name', 'mobile'] }}>
        <Form.Item label={t('customer.unmaskFields')} name="fields" rules={[{ required: true, type: 'array', min: 1 }]}>
          <Checkbox.Group
            options={(['name', 'mobile', 'id_number'] as const).map((f) => ({
              value: f,
              label: t(`customer.fields.${f}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          label={t('customer.unmaskReason')}
          name="reason"
          rules={[{ required: true, min: 5, whitespace: true, message: t('customer.unmaskReasonRule') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AumChart({ c }: { c: Customer360 }) {
  const { t } = useTranslation();
  const option = useMemo<EChartsOption>(() => {
    const dates = [...new Set(c.holdings.aumTrendByFamily.map((p) => p.date))].sort();
    const families = [...new Set(c.holdings.aumTrendByFamily.map((p) => p.family))].sort();
    const by = new Map(c.holdings.aumTrendByFamily.map((p) => [`${p.date}|${p.family}`, p.balance_fen / 100]));
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => yuan(Number(v) * 100) },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 64, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: dates },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => yuanCompact(v * 100) } },
      series: families.map((f) => ({
        name: label('families', f),
        type: 'line',
        stack: 'aum',
        areaStyle: {},
        showSymbol: false,
        data: dates.map((d) => by.get(`${d}|${f}`) ?? 0),
      })),
    };
  }, [c]);
  if (!c.holdings.aumTrendByFamily.length) return <Empty description={t('common.noData')} />;
  return <Chart option={option} height={280} label={t('customer.aumTrend')} />;
}

function SpendChart({ c }: { c: Customer360 }) {
  const { t } = useTranslation();
  const option = useMemo<EChartsOption>(() => {
    const rows = [...c.transactions.spendByCategory90d].sort((a, b) => a.amount_fen - b.amount_fen);
    return {
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        valueFormatter: (v) => yuan(Number(v) * 100),
      },
      grid: { left: 96, right: 24, top: 8, bottom: 24 },
      xAxis: { type: 'value', axisLabel: { formatter: (v: number) => yuanCompact(v * 100) } },
      yAxis: { type: 'category', data: rows.map((r) => label('mcc', r.category)) },
      series: [
        {
          type: 'bar',
          name: t('customer.spend'),
          data: rows.map((r) => r.amount_fen / 100),
          itemStyle: { color: '#b8321f' },
        },
      ],
    };
  }, [c, t]);
  if (!c.transactions.spendByCategory90d.length) return <Empty description={t('common.noData')} />;
  return <Chart option={option} height={280} label={t('customer.spendByCategory')} />;
}

function AppActivityChart({ c }: { c: Customer360 }) {
  const { t } = useTranslation();
  const option = useMemo<EChartsOption>(() => {
    const days = [...new Set(c.appActivity30d.map((p) => p.day))].sort();
    const types = [...new Set(c.appActivity30d.map((p) => p.event_type))].sort();
    const by = new Map(c.appActivity30d.map((p) => [`${p.day}|${p.event_type}`, p.count]));
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 40, right: 16, top: 40, bottom: 32 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', minInterval: 1 },
      series: types.map((ty) => ({
        name: label('appEvents', ty),
        type: 'bar',
        stack: 'events',
        data: days.map((d) => by.get(`${d}|${ty}`) ?? 0),
      })),
    };
  }, [c]);
  if (!c.appActivity30d.length) return <Empty description={t('customer.noAppActivity')} />;
  return <Chart option={option} height={240} label={t('customer.appActivity')} />;
}

function TagsCard({ id }: { id: number }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const values = useApi(() => api('GET', `/api/v1/customers/${id}/tags`, customerTagsResponse), [id]);
  const catalogue = useApi(() => api('GET', '/api/v1/tags', tagListResponse), [], can('tags.read'));
  const names = new Map(catalogue.data?.tags.map((s) => [s.definition.id, s.definition]) ?? []);
  const rows = values.data?.tags ?? [];
  const shown = (v: string | number | boolean | string[]) =>
    Array.isArray(v)
      ? v.join(t('common.listSep'))
      : typeof v === 'boolean'
        ? t(v ? 'common.yes' : 'common.no')
        : String(v);
  return (
    <Card title={t('customer.tags', { count: rows.length })} extra={values.data?.asOf} data-testid="customer-tags">
      <ErrorAlert error={values.error} />
      {values.loading ? null : rows.length === 0 ? (
        <Empty description={t('customer.noTags')} />
      ) : (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 6, maxHeight: 260, overflow: 'auto' }}>
          {rows.map((r) => {
            const def = names.get(r.tagId);
            return (
              <Tag key={r.tagId} title={r.tagId}>
                {def ? bi(def.name) : r.tagId}: {shown(r.value)}
                {def?.unit ? ` ${def.unit}` : ''}
              </Tag>
            );
          })}
        </div>
      )}
    </Card>
  );
}

function ScoresCard({ c }: { c: Customer360 }) {
  const { t } = useTranslation();
  const parsed = c360Scores.safeParse(c.scores);
  const scores = parsed.success ? parsed.data : [];
  return (
    <Card title={t('customer.scores')} data-testid="customer-scores">
      {scores.length === 0 ? (
        <Empty description={t('customer.noScores')} />
      ) : (
        scores.map((s) => (
          <div key={s.model} style={{ marginBottom: 16 }}>
            <Space align="center">
              <Typography.Text strong>{label('modelNames', s.model)}</Typography.Text>
              {s.band && <Tag>{s.band}</Tag>}
            </Space>
            <Progress
              percent={Math.round(s.score * 1000) / 10}
              status={s.model === 'churn' && s.score >= 0.5 ? 'exception' : 'normal'}
              aria-label={label('modelNames', s.model)}
            />
            <ul style={{ margin: 0, paddingInlineStart: 20 }}>
              {s.reasons.map((r) => (
                <li key={r.feature}>
                  {bi(r.text)}{' '}
                  <Typography.Text type="secondary">
                    ({r.contribution >= 0 ? '+' : ''}
                    {r.contribution.toFixed(3)})
                  </Typography.Text>
                </li>
              ))}
            </ul>
          </div>
        ))
      )}
    </Card>
  );
}

/** Mints a one-time customer link (risk assessment or preference centre) and shows it to hand over. */
function H5LinkMenu({ id }: { id: number }) {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const [error, setError] = useState<Error>();
  const mint = async (kind: 'assessment' | 'preferences') => {
    setError(undefined);
    try {
      const r = await api('POST', `/api/v1/customers/${id}/h5-links`, h5LinkResponse, { kind });
      modal.info({
        title: t(`customer.h5Link.${kind}`),
        width: 520,
        content: (
          <Space orientation="vertical">
            <Typography.Text copyable={{ text: r.url }} data-testid="h5-link">
              <a href={r.url} target="_blank" rel="noreferrer">
                {r.url}
              </a>
            </Typography.Text>
            <Typography.Text type="secondary">
              {t('customer.h5Link.expires', { date: dateTime(r.expiresAt) })}
            </Typography.Text>
          </Space>
        ),
      });
    } catch (e) {
      setError(toError(e));
    }
  };
  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'assessment', label: t('customer.h5Link.assessment') },
            { key: 'preferences', label: t('customer.h5Link.preferences') },
          ],
          onClick: ({ key }) => void mint(key as 'assessment' | 'preferences'),
        }}
      >
        <Button data-testid="h5-link-menu">{t('customer.h5Link.menu')} ▾</Button>
      </Dropdown>
      {error && (
        <div style={{ position: 'absolute', right: 24, marginTop: 40, zIndex: 10, maxWidth: 420 }}>
          <ErrorAlert error={error} />
        </div>
      )}
    </>
  );
}

export function Customer360Page() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const id = Number(useParams().id);
  const valid = Number.isInteger(id) && id > 0;
  const view = useApi(() => api('GET', `/api/v1/customers/${id}/360`, customer360Response), [id], valid);
  const [unmaskOpen, setUnmaskOpen] = useState(false);
  const [clear, setClear] = useState<UnmaskResponse>();
  const c = view.data;
  const p = c?.profile;

  return (
    <Page
      title="customer.title360"
      extra={
        <Space>
          <Link to="/customers">{t('customer.backToSearch')}</Link>
          {p && can('consents.write') && <H5LinkMenu id={p.id} />}
          {p && can('customers.unmask') && (
            <Button onClick={() => setUnmaskOpen(true)} data-testid="unmask">
              {t('customer.unmask')}
            </Button>
          )}
        </Space>
      }
    >
      {!valid && <Alert type="error" title={t('common.notFound')} />}
      <ErrorAlert error={view.error} />
      {view.loading && !c && <Card loading />}
      {c && p && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Card>
            <Space size="large" wrap align="center">
              <Typography.Title level={2} style={{ margin: 0, fontSize: 20 }} data-testid="customer-name">
                {clear?.values.name ?? p.name_masked}
              </Typography.Title>
              <RiskTag level={p.risk_level} />
              <Tag>{label('customerStatus', p.status)}</Tag>
              <Typography.Text>
                {t('customer.mobile')}:{' '}
                <span data-testid="customer-mobile">{clear?.values.mobile ?? p.mobile_masked ?? '–'}</span>
              </Typography.Text>
              {clear?.values.id_number && (
                <Typography.Text>
                  {t('customer.fields.id_number')}: <span data-testid="customer-idno">{clear.values.id_number}</span>
                </Typography.Text>
              )}
              {clear && (
                <Tag color="gold" data-testid="unmask-audit">
                  {t('customer.unmaskedAudited', { seq: clear.auditSeq })}
                </Tag>
              )}
            </Space>
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <Card title={t('customer.profile')}>
                <Descriptions size="small" column={2}>
                  <Descriptions.Item label={t('customer.id')}>{p.id}</Descriptions.Item>
                  <Descriptions.Item label={t('customer.cif')}>{p.cif}</Descriptions.Item>
                  <Descriptions.Item label={t('customer.gender')}>{label('gender', p.gender)}</Descriptions.Item>
                  <Descriptions.Item label={t('customer.birthDate')}>{p.birth_date}</Descriptions.Item>
                  <Descriptions.Item label={t('customer.city')}>
                    {p.province} {p.city} ({t('customer.tier', { tier: p.city_tier })})
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customer.occupation')}>
                    {label('occupation', p.occupation)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customer.education')}>
                    {label('education', p.education)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customer.marital')}>
                    {label('marital', p.marital_status)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customer.onboarded')}>{p.onboarded_at ?? '–'}</Descriptions.Item>
                  <Descriptions.Item label={t('customer.branch')}>{p.home_branch_id ?? '–'}</Descriptions.Item>
                  <Descriptions.Item label={t('customer.risk')}>
                    <RiskTag level={p.risk_level} />
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customer.riskAssessedAt')}>
                    {dateTime(p.risk_assessed_at)}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customer.experience')}>
                    {t(p.investment_experience ? 'common.yes' : 'common.no')}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customer.personalised')}>
                    {t(p.personalised_marketing ? 'common.yes' : 'common.no')}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('customer.flags')} span={2}>
                    {p.flags.length ? p.flags.map((f) => <Tag key={f}>{label('flags', f)}</Tag>) : t('common.none')}
                  </Descriptions.Item>
                </Descriptions>
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <ScoresCard c={c} />
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <Card title={t('customer.aumTrend')} extra={t('common.asOf', { date: c.asOf })}>
                <AumChart c={c} />
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <Card title={t('customer.spendByCategory')}>
                <SpendChart c={c} />
              </Card>
            </Col>
          </Row>
          <Card title={t('customer.holdings')}>
            <Table
              rowKey="id"
              size="small"
              dataSource={c.holdings.current}
              pagination={{ pageSize: 8, hideOnSinglePage: true }}
              scroll={{ x: 'max-content' }}
              columns={[
                {
                  title: t('customer.product'),
                  dataIndex: 'name_zh',
                  render: (_v: string, r) => (i18n.language === 'en' ? r.name_en : r.name_zh),
                },
                { title: t('customer.family'), dataIndex: 'family', render: (v: string) => label('families', v) },
                { title: t('customer.productRisk'), dataIndex: 'risk' },
                {
                  title: t('customer.amount'),
                  dataIndex: 'amount_fen',
                  align: 'right',
                  render: (v: number) => yuan(v),
                },
                { title: t('customer.signedAt'), dataIndex: 'signed_at', render: (v: string) => dateTime(v) },
                { title: t('customer.maturity'), dataIndex: 'maturity_date', render: (v: string | null) => v ?? '–' },
                { title: t('customer.status'), dataIndex: 'status', render: (v: string) => label('holdingStatus', v) },
              ]}
            />
          </Card>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={14}>
              <Card title={t('customer.appActivity')}>
                <AppActivityChart c={c} />
              </Card>
            </Col>
            <Col xs={24} xl={10}>
              <TagsCard id={p.id} />
            </Col>
          </Row>
          <Row gutter={[16, 16]}>
            <Col xs={24} xl={12}>
              <Card title={t('customer.consents')} data-testid="customer-consents">
                <Table
                  rowKey={(r) => `${r.purpose}|${r.channel}`}
                  size="small"
                  dataSource={c.consents.current}
                  pagination={false}
                  locale={{ emptyText: t('customer.noConsents') }}
                  columns={[
                    { title: t('consent.purpose'), dataIndex: 'purpose', render: (v: string) => label('purposes', v) },
                    { title: t('consent.channel'), dataIndex: 'channel', render: (v: string) => label('channels', v) },
                    {
                      title: t('consent.status'),
                      dataIndex: 'status',
                      render: (v: string) => (
                        <Tag color={v === 'granted' ? 'green' : 'default'}>{label('consentStatus', v)}</Tag>
                      ),
                    },
                    { title: t('consent.recordedAt'), dataIndex: 'recorded_at', render: (v: string) => dateTime(v) },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} xl={12}>
              <Card title={t('customer.contacts')}>
                <Table
                  rowKey="contact_id"
                  size="small"
                  dataSource={c.contacts}
                  pagination={{ pageSize: 8, hideOnSinglePage: true }}
                  locale={{ emptyText: t('customer.noContacts') }}
                  columns={[
                    { title: t('customer.when'), dataIndex: 'ts', render: (v: string) => dateTime(v) },
                    { title: t('consent.channel'), dataIndex: 'channel', render: (v: string) => label('channels', v) },
                    { title: t('consent.purpose'), dataIndex: 'purpose', render: (v: string) => label('purposes', v) },
                    {
                      title: t('customer.outcome'),
                      dataIndex: 'outcome',
                      render: (v: string | null) => label('outcomes', v),
                    },
                  ]}
                />
              </Card>
            </Col>
          </Row>
          <Card title={t('customer.products')}>
            <Space wrap>
              {c.productsHeld.map((ph) => (
                <Tag key={ph.family}>
                  {label('families', ph.family)} · {ph.active}/{ph.count}
                </Tag>
              ))}
              {c.productsHeld.length === 0 && t('common.none')}
            </Space>
          </Card>
        </Space>
      )}
      {p && (
        <UnmaskDialog
          id={p.id}
          open={unmaskOpen}
          onClose={() => setUnmaskOpen(false)}
          onDone={(r) => {
            setClear(r);
            setUnmaskOpen(false);
          }}
        />
      )}
    </Page>
  );
}
