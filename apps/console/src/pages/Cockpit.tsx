import { ratesResponse, segmentsResponse, trendResponse } from '@lingxi/contracts/dashboard';
import { Card, Col, Empty, Row, Segmented, Statistic, Typography } from 'antd';
import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, withQuery } from '../api/client.ts';
import { Chart } from '../components/Chart.tsx';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { int, label, pct, yuan, yuanCompact } from '../format.ts';
import { useApi } from '../hooks.ts';

type Dimension = 'lifecycle' | 'tier' | 'persona';
type Grain = 'day' | 'week' | 'month';

const lifecycleOrder = ['potential', 'new', 'active', 'cooling', 'dormant', 'churned'];
const tierOrder = ['mass', 'affluent', 'hnw'];

function SegmentChart({ dimension }: { dimension: Dimension }) {
  const { t, i18n } = useTranslation();
  const seg = useApi(
    () => api('GET', withQuery('/api/v1/dashboard/segments', { dimension }), segmentsResponse),
    [dimension],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: label() reads the current language
  const option = useMemo<EChartsOption | undefined>(() => {
    if (!seg.data) return undefined;
    const order = dimension === 'lifecycle' ? lifecycleOrder : dimension === 'tier' ? tierOrder : [];
    const rows = [...seg.data.rows].sort((a, b) => {
      const ia = order.indexOf(a.segment);
      const ib = order.indexOf(b.segment);
      return ia >= 0 && ib >= 0 ? ia - ib : b.customers - a.customers;
    });
    const name = (s: string) => label(dimension === 'persona' ? 'personas' : 'tagValues', s);
    return {
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (ps) => {
          const list = Array.isArray(ps) ? ps : [ps];
          const i = list[0]?.dataIndex ?? 0;
          const r = rows[i];
          if (!r) return '';
          return `${name(r.segment)}<br/>${t('common.customers')}: ${int(r.customers)}<br/>${t('common.aum')}: ${yuan(r.aumFen, 0)}`;
        },
      },
      legend: { top: 0 },
      grid: { left: 56, right: 64, top: 36, bottom: dimension === 'persona' ? 56 : 28 },
      xAxis: {
        type: 'category',
        data: rows.map((r) => name(r.segment)),
        axisLabel: { interval: 0, rotate: dimension === 'persona' ? 25 : 0 },
      },
      yAxis: [
        { type: 'value', name: t('common.customers'), minInterval: 1 },
        { type: 'value', name: t('cockpit.aumYuan'), axisLabel: { formatter: (v: number) => yuanCompact(v * 100) } },
      ],
      series: [
        {
          type: 'bar',
          name: t('common.customers'),
          data: rows.map((r) => r.customers),
          itemStyle: { color: '#b8321f' },
          label: { show: true, position: 'top', fontSize: 11 },
        },
        {
          type: 'line',
          name: t('common.aum'),
          yAxisIndex: 1,
          data: rows.map((r) => Math.round(r.aumFen / 100)),
          itemStyle: { color: '#1677ff' },
        },
      ],
    };
  }, [seg.data, dimension, t, i18n.language]);
  return (
    <Card
      title={t(`cockpit.by.${dimension}`)}
      extra={seg.data?.asOf ? t('common.asOf', { date: seg.data.asOf }) : undefined}
      loading={seg.loading && !seg.data}
    >
      <ErrorAlert error={seg.error} />
      {option && seg.data?.rows.length ? (
        <Chart option={option} height={280} label={t(`cockpit.by.${dimension}`)} />
      ) : (
        !seg.loading && <Empty description={t('common.noData')} />
      )}
    </Card>
  );
}

function RatesCards() {
  const { t } = useTranslation();
  const rates = useApi(() => api('GET', '/api/v1/dashboard/rates', ratesResponse), []);
  const r = rates.data;
  const option = useMemo<EChartsOption | undefined>(
    () =>
      r
        ? {
            tooltip: {
              trigger: 'axis',
              axisPointer: { type: 'shadow' },
              formatter: (ps) => {
                const list = Array.isArray(ps) ? ps : [ps];
                const i = list[0]?.dataIndex ?? 0;
                const x = [r.activation, r.firstSwipe, r.churn][i];
                const n = [t('cockpit.activation'), t('cockpit.firstSwipe'), t('cockpit.churn')][i];
                return x ? `${n}: ${pct(x.rate)}<br/>${int(x.numerator)} / ${int(x.denominator)}` : '';
              },
            },
            grid: { left: 96, right: 48, top: 8, bottom: 24 },
            xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
            yAxis: {
              type: 'category',
              data: [t('cockpit.activation'), t('cockpit.firstSwipe'), t('cockpit.churn')],
            },
            series: [
              {
                type: 'bar',
                data: [
                  { value: (r.activation.rate ?? 0) * 100, itemStyle: { color: '#52c41a' } },
                  { value: (r.firstSwipe.rate ?? 0) * 100, itemStyle: { color: '#1677ff' } },
                  { value: (r.churn.rate ?? 0) * 100, itemStyle: { color: '#b8321f' } },
                ],
                label: { show: true, position: 'right', formatter: (p) => `${Number(p.value).toFixed(1)}%` },
              },
            ],
          }
        : undefined,
    [r, t],
  );
  return (
    <>
      <ErrorAlert error={rates.error} />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={12} lg={6}>
          <Card loading={rates.loading} style={{ height: '100%' }}>
            <Statistic title={t('common.customers')} value={r ? int(r.customers) : '–'} />
          </Card>
        </Col>
        <Col xs={12} lg={6}>
          <Card loading={rates.loading} style={{ height: '100%' }}>
            <Statistic title={t('common.aum')} value={r ? yuanCompact(r.aumFen) : '–'} />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card loading={rates.loading} title={t('cockpit.rates')} styles={{ body: { padding: 8 } }}>
            {option ? <Chart option={option} height={120} label={t('cockpit.rates')} /> : <Empty />}
          </Card>
        </Col>
      </Row>
    </>
  );
}

function TrendChart() {
  const { t } = useTranslation();
  const [grain, setGrain] = useState<Grain>('month');
  const trend = useApi(() => api('GET', withQuery('/api/v1/dashboard/trend', { grain }), trendResponse), [grain]);
  const option = useMemo<EChartsOption | undefined>(() => {
    const rows = trend.data?.rows;
    if (!rows) return undefined;
    return {
      tooltip: {
        trigger: 'axis',
      },
      legend: { top: 0 },
      grid: { left: 64, right: 72, top: 40, bottom: 28 },
      xAxis: { type: 'category', data: rows.map((r) => r.period) },
      yAxis: [
        { type: 'value', name: t('cockpit.count'), minInterval: 1 },
        { type: 'value', name: t('cockpit.amountYuan'), axisLabel: { formatter: (v: number) => yuanCompact(v * 100) } },
      ],
      series: [
        { type: 'line', name: t('cockpit.activeCustomers'), data: rows.map((r) => r.activeCustomers), smooth: true },
        { type: 'line', name: t('cockpit.newCustomers'), data: rows.map((r) => r.newCustomers), smooth: true },
        {
          type: 'bar',
          name: t('cockpit.transactions'),
          data: rows.map((r) => r.transactions),
          itemStyle: { opacity: 0.4 },
        },
        {
          type: 'line',
          name: t('cockpit.spend'),
          yAxisIndex: 1,
          data: rows.map((r) => Math.round(r.spendFen / 100)),
          tooltip: { valueFormatter: (v) => yuan(Number(v) * 100, 0) },
        },
        {
          type: 'line',
          name: t('common.aum'),
          yAxisIndex: 1,
          data: rows.map((r) => (r.aumFen === null ? null : Math.round(r.aumFen / 100))),
          tooltip: { valueFormatter: (v) => (v === null || v === undefined ? '–' : yuan(Number(v) * 100, 0)) },
        },
      ],
    };
  }, [trend.data, t]);
  return (
    <Card
      title={t('cockpit.trend')}
      extra={
        <Segmented<Grain>
          aria-label={t('cockpit.grain')}
          value={grain}
          onChange={setGrain}
          options={(['day', 'week', 'month'] as const).map((g) => ({ value: g, label: t(`cockpit.grains.${g}`) }))}
        />
      }
    >
      <ErrorAlert error={trend.error} />
      {option && trend.data?.rows.length ? (
        <Chart option={option} height={320} label={t('cockpit.trend')} />
      ) : (
        !trend.loading && <Empty description={t('common.noData')} />
      )}
    </Card>
  );
}

export function CockpitPage() {
  const { t } = useTranslation();
  return (
    <Page title="nav.cockpit" extra={<Typography.Text type="secondary">{t('cockpit.scopeNote')}</Typography.Text>}>
      <RatesCards />
      <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
        <Col xs={24} xl={12}>
          <SegmentChart dimension="lifecycle" />
        </Col>
        <Col xs={24} xl={12}>
          <SegmentChart dimension="tier" />
        </Col>
        <Col xs={24}>
          <SegmentChart dimension="persona" />
        </Col>
      </Row>
      <TrendChart />
    </Page>
  );
}
