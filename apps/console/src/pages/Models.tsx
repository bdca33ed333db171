import { type ModelDetail, type ModelSummary, modelDetail, modelList } from '@lingxi/contracts/console-models';
import { Card, Col, Empty, Row, Table, Tag } from 'antd';
import type { EChartsOption } from 'echarts';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/client.ts';
import { Chart } from '../components/Chart.tsx';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { bi, dateTime, int } from '../format.ts';
import { useApi } from '../hooks.ts';

const f3 = (v: number | null | undefined) => (v === null || v === undefined ? '–' : v.toFixed(3));

function ModelCharts({ d }: { d: ModelDetail }) {
  const { t } = useTranslation();
  const roc = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 24, bottom: 40 },
      xAxis: { type: 'value', name: 'FPR', min: 0, max: 1 },
      yAxis: { type: 'value', name: 'TPR', min: 0, max: 1 },
      series: [
        { type: 'line', name: 'ROC', showSymbol: false, data: d.roc.map((p) => [p.fpr, p.tpr]) },
        {
          type: 'line',
          name: t('models.random'),
          showSymbol: false,
          lineStyle: { type: 'dashed' },
          data: [
            [0, 0],
            [1, 1],
          ],
        },
      ],
    }),
    [d, t],
  );
  const lift = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      xAxis: { type: 'category', name: t('models.decile'), data: d.lift.map((l) => String(l.decile)) },
      yAxis: { type: 'value', name: t('models.lift') },
      series: [
        { type: 'bar', name: t('models.lift'), data: d.lift.map((l) => l.lift), itemStyle: { color: '#b8321f' } },
      ],
    }),
    [d, t],
  );
  const features = useMemo<EChartsOption>(() => {
    const top = [...d.features].sort((a, b) => a.importance - b.importance).slice(-12);
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 160, right: 16, top: 8, bottom: 24 },
      xAxis: { type: 'value' },
      yAxis: { type: 'category', data: top.map((x) => (x.text ? bi(x.text) : x.feature)) },
      series: [{ type: 'bar', name: t('models.importance'), data: top.map((x) => x.importance) }],
    };
  }, [d, t]);
  const drift = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 48, right: 16, top: 24, bottom: 32 },
      xAxis: { type: 'category', data: d.drift.map((x) => x.date) },
      yAxis: { type: 'value', name: 'PSI' },
      series: [
        {
          type: 'line',
          name: 'PSI',
          data: d.drift.map((x) => x.psi),
          markLine: { symbol: 'none', data: [{ yAxis: 0.1 }, { yAxis: 0.25 }] },
        },
      ],
    }),
    [d],
  );
  const dist = useMemo<EChartsOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 56, right: 16, top: 16, bottom: 40 },
      xAxis: { type: 'category', data: d.scoreDistribution.map((b) => `${b.lo.toFixed(1)}–${b.hi.toFixed(1)}`) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [{ type: 'bar', name: t('common.customers'), data: d.scoreDistribution.map((b) => b.count) }],
    }),
    [d, t],
  );
  const card = (title: string, option: EChartsOption) => (
    <Card title={title} size="small">
      <Chart option={option} height={260} label={title} />
    </Card>
  );
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        {card(t('models.roc'), roc)}
      </Col>
      <Col xs={24} xl={12}>
        {card(t('models.liftChart'), lift)}
      </Col>
      <Col xs={24} xl={12}>
        {card(t('models.features'), features)}
      </Col>
      <Col xs={24} xl={12}>
        {card(t('models.drift'), drift)}
      </Col>
      <Col xs={24}>{card(t('models.scores'), dist)}</Col>
    </Row>
  );
}

export function ModelsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const list = useApi(() => api('GET', '/api/v1/models', modelList), []);
  const selected = params.get('model') ?? list.data?.models[0]?.id;
  const detail = useApi(
    () => api('GET', `/api/v1/models/${encodeURIComponent(selected ?? '')}`, modelDetail),
    [selected],
    selected !== undefined,
  );
  return (
    <Page title="nav.models">
      <ErrorAlert error={list.error} />
      <Card style={{ marginBottom: 16 }}>
        <Table<ModelSummary>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data?.models ?? []}
          pagination={false}
          rowSelection={{
            type: 'radio',
            selectedRowKeys: selected ? [selected] : [],
            onChange: (keys) => setParams({ model: String(keys[0]) }),
          }}
          columns={[
            { title: t('models.name'), key: 'name', render: (_: unknown, m) => bi(m.name) },
            { title: t('models.version'), dataIndex: 'version' },
            { title: t('models.status'), dataIndex: 'status', render: (v: string) => <Tag>{v}</Tag> },
            { title: 'AUC', key: 'auc', render: (_: unknown, m) => f3(m.metrics.auc) },
            {
              title: t('models.precisionTop'),
              key: 'p',
              render: (_: unknown, m) => f3(m.metrics.precisionAtTopDecile),
            },
            { title: t('models.liftTop'), key: 'l', render: (_: unknown, m) => f3(m.metrics.liftTopDecile) },
            { title: 'PSI', key: 'psi', render: (_: unknown, m) => f3(m.latestPsi) },
            { title: t('models.rows'), key: 'rows', render: (_: unknown, m) => int(m.metrics.rows) },
            { title: t('models.trainedAt'), dataIndex: 'trainedAt', render: (v: string | null) => dateTime(v) },
          ]}
        />
      </Card>
      <ErrorAlert error={detail.error} />
      {detail.data ? <ModelCharts d={detail.data} /> : !detail.loading && list.data && <Empty />}
    </Page>
  );
}
