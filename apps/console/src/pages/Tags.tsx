import { type TagDistribution, tagDistribution } from '@lingxi/contracts/console-tags';
import { type TagSummaryDto, tagDetailResponse, tagListResponse } from '@lingxi/contracts/tags';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Input,
  Progress,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { EChartsOption } from 'echarts';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { api } from '../api/client.ts';
import { useAuth } from '../auth.tsx';
import { Chart } from '../components/Chart.tsx';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { bi, dateTime, int, label, pct } from '../format.ts';
import { useApi } from '../hooks.ts';
import { BANK_TAG_TEMPLATE, BankTagEditor, copyAsBankTag, RetireBankTag } from './BankTagEditor.tsx';
import { TagRefreshes } from './TagRefreshes.tsx';

/** A tag value (code) in words when the dictionary knows it. */
export function tagValueLabel(v: string): string {
  return label('tagValues', v);
}

function fmtNum(v: number, unit: string | undefined): string {
  if (unit === 'fen') return new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 }).format(v / 100);
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(v);
}

export function DistributionChart({
  dist,
  unit,
  name,
  height = 240,
}: {
  dist: TagDistribution;
  unit?: string | undefined;
  name: string;
  height?: number;
}) {
  const { t } = useTranslation();
  const option = useMemo<EChartsOption>(() => {
    const rows =
      dist.kind === 'top'
        ? dist.values.map((v) => ({ x: tagValueLabel(v.value), n: v.count }))
        : dist.histogram.map((h) => ({ x: `${fmtNum(h.lo, unit)}–${fmtNum(h.hi, unit)}`, n: Math.round(h.count) }));
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 56, right: 16, top: 16, bottom: 64 },
      xAxis: { type: 'category', data: rows.map((r) => r.x), axisLabel: { rotate: rows.length > 5 ? 30 : 0 } },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        { type: 'bar', name: t('common.customers'), data: rows.map((r) => r.n), itemStyle: { color: '#b8321f' } },
      ],
    };
  }, [dist, unit, t]);
  return <Chart option={option} height={height} label={t('tags.distributionOf', { name })} />;
}

function TagDrawer({
  id,
  onClose,
  onRetired,
  onCopy,
}: {
  id: string | undefined;
  onClose(): void;
  onRetired(): void;
  onCopy(text: string): void;
}) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const detail = useApi(() => api('GET', `/api/v1/tags/${id}`, tagDetailResponse), [id], id !== undefined);
  const d = detail.data;
  const dist = tagDistribution.safeParse(d?.distribution);
  return (
    <Drawer open={id !== undefined} onClose={onClose} size="large" title={d ? bi(d.definition.name) : id}>
      <ErrorAlert error={detail.error} />
      {d && (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="tag-detail">
          <Typography.Paragraph>{bi(d.definition.description)}</Typography.Paragraph>
          <Descriptions size="small" column={1} bordered styles={{ label: { width: 120 } }}>
            <Descriptions.Item label={t('tags.id')}>
              <Typography.Text code>{d.definition.id}</Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('tags.family')}>
              {label('tagFamilies', d.definition.family)} / {label('tagSubFamilies', d.definition.sub_family)}
            </Descriptions.Item>
            <Descriptions.Item label={t('tags.valueType')}>
              {label('valueTypes', d.definition.value_type)}
            </Descriptions.Item>
            <Descriptions.Item label={t('tags.dataClass')}>{d.dataClass}</Descriptions.Item>
            <Descriptions.Item label={t('tags.version')}>v{d.version}</Descriptions.Item>
            <Descriptions.Item label={t('tags.refresh')}>{label('tagRefresh', d.definition.refresh)}</Descriptions.Item>
            <Descriptions.Item label={t('tags.coverage')}>
              {pct(d.coverage)} ({int(d.nonNull)}/{int(d.total)})
            </Descriptions.Item>
            <Descriptions.Item label={t('tags.refreshedAt')}>{dateTime(d.refreshedAt)}</Descriptions.Item>
            <Descriptions.Item label={t('tags.purposes')}>
              {d.definition.purposes.map((p) => (
                <Tag key={p}>{label('purposes', p)}</Tag>
              ))}
            </Descriptions.Item>
            {d.definition.values && (
              <Descriptions.Item label={t('tags.values')}>
                {d.definition.values.map((v) => (
                  <Tag key={v}>{tagValueLabel(v)}</Tag>
                ))}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('tags.dependencies')}>
              {d.dependencies.length ? d.dependencies.map((x) => <Tag key={x}>{x}</Tag>) : t('common.none')}
            </Descriptions.Item>
            <Descriptions.Item label={t('tags.sourceColumns')}>
              {d.sourceColumns.length ? d.sourceColumns.join(', ') : t('common.none')}
            </Descriptions.Item>
          </Descriptions>
          <Card size="small" title={t('tags.distribution')}>
            {dist.success && dist.data.outsideVocabulary !== undefined && (
              <Alert
                type="warning"
                showIcon
                style={{ marginBottom: 8 }}
                data-testid="tag-outside-vocabulary"
                title={t('tags.outsideVocabulary', { count: dist.data.outsideVocabulary })}
              />
            )}
            {dist.success ? (
              <DistributionChart dist={dist.data} unit={d.definition.unit} name={bi(d.definition.name)} />
            ) : (
              <Empty description={t('common.noData')} />
            )}
          </Card>
          {d.custom && can('tags.write') && (
            <Card size="small" title={t('tags.bank.retireTitle')}>
              <RetireBankTag id={d.definition.id} onRetired={onRetired} />
            </Card>
          )}
          <Card
            size="small"
            title={t('tags.definition')}
            extra={
              !d.custom &&
              can('tags.write') && (
                <Button size="small" onClick={() => onCopy(copyAsBankTag(d.definition))}>
                  {t('tags.bank.copy')}
                </Button>
              )
            }
          >
            <pre
              style={{ maxHeight: 320, overflow: 'auto', margin: 0, fontSize: 12, background: '#fafafa', padding: 8 }}
            >
              {JSON.stringify(d.definition.compute, null, 2)}
            </pre>
          </Card>
          <Card size="small" title={t('tags.versions')}>
            <Table
              size="small"
              aria-label={t('tags.versions')}
              rowKey="version"
              pagination={false}
              dataSource={d.versions}
              columns={[
                { title: t('tags.version'), dataIndex: 'version', render: (v: number) => `v${v}` },
                {
                  title: t('tags.hash'),
                  dataIndex: 'hash',
                  render: (h: string) => <Typography.Text code>{h.slice(0, 12)}</Typography.Text>,
                },
                { title: t('tags.createdAt'), dataIndex: 'created_at', render: (v: string) => dateTime(v) },
                {
                  title: t('tags.versionCause'),
                  dataIndex: 'follows',
                  render: (f: string[] | null, _row: unknown, i: number) =>
                    f
                      ? t('tags.followsDependency', { tags: f.join(', ') })
                      : i === d.versions.length - 1
                        ? t('tags.firstVersion')
                        : t('tags.ownDefinition'),
                },
              ]}
            />
          </Card>
        </Space>
      )}
    </Drawer>
  );
}

function CoverageChart({ tags }: { tags: TagSummaryDto[] }) {
  const { t } = useTranslation();
  const option = useMemo<EChartsOption>(() => {
    const fams = [...new Set(tags.map((s) => s.definition.family))];
    const avg = (f: string) => {
      const xs = tags.filter((s) => s.definition.family === f).map((s) => s.coverage ?? 0);
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
    };
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0 },
      grid: { left: 48, right: 48, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: fams.map((f) => label('tagFamilies', f)) },
      yAxis: [
        { type: 'value', name: t('tags.tagCount'), minInterval: 1 },
        { type: 'value', name: t('tags.avgCoverage'), max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        {
          type: 'bar',
          name: t('tags.tagCount'),
          data: fams.map((f) => tags.filter((s) => s.definition.family === f).length),
          itemStyle: { color: '#b8321f' },
        },
        {
          type: 'line',
          name: t('tags.avgCoverage'),
          yAxisIndex: 1,
          data: fams.map((f) => Math.round(avg(f) * 1000) / 10),
          tooltip: { valueFormatter: (v) => `${v}%` },
        },
      ],
    };
  }, [tags, t]);
  return <Chart option={option} height={240} label={t('tags.coverageByFamily')} />;
}

export function TagsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  // the editor's starting text while it is open (undefined: closed)
  const [editing, setEditing] = useState<string>();
  const [params, setParams] = useSearchParams();
  const open = params.get('tag') ?? undefined;
  const list = useApi(() => api('GET', '/api/v1/tags', tagListResponse), []);
  const [family, setFamily] = useState<string>('all');
  const [filter, setFilter] = useState('');
  const tags = list.data?.tags ?? [];
  const families = [...new Set(tags.map((s) => s.definition.family))];
  const f = filter.trim().toLowerCase();
  const shown = tags.filter(
    (s) =>
      (family === 'all' || s.definition.family === family) &&
      (!f ||
        s.definition.id.includes(f) ||
        s.definition.name.zh.includes(filter.trim()) ||
        s.definition.name.en.toLowerCase().includes(f)),
  );

  return (
    <Page
      title="nav.tags"
      extra={
        <Space>
          <Typography.Text type="secondary">
            {t('tags.summary', { count: tags.length, asOf: list.data?.asOf ?? '–' })}
          </Typography.Text>
          {can('tags.write') && <Button onClick={() => setEditing(BANK_TAG_TEMPLATE)}>{t('tags.bank.add')}</Button>}
        </Space>
      }
    >
      <ErrorAlert error={list.error} />
      {list.data && list.data.broken.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('tags.bank.broken', { count: list.data.broken.length })}
          description={list.data.broken.map((b) => `${b.tagId} — ${b.field}: ${b.reason}`).join('; ')}
        />
      )}
      <TagRefreshes asOf={list.data?.asOf} onRefreshed={list.reload} />
      <Card title={t('tags.coverageByFamily')} style={{ marginBottom: 16 }} loading={list.loading}>
        {tags.length ? <CoverageChart tags={tags} /> : <Empty description={t('common.noData')} />}
      </Card>
      <Card>
        <Tabs
          activeKey={family}
          onChange={setFamily}
          items={[
            { key: 'all', label: `${t('tags.allFamilies')} (${tags.length})` },
            ...families.map((fm) => ({
              key: fm,
              label: `${label('tagFamilies', fm)} (${tags.filter((s) => s.definition.family === fm).length})`,
            })),
          ]}
          tabBarExtraContent={
            <Input.Search
              aria-label={t('tags.filter')}
              placeholder={t('tags.filter')}
              allowClear
              onChange={(e) => setFilter(e.target.value)}
              style={{ width: 240 }}
            />
          }
        />
        <Table<TagSummaryDto>
          rowKey={(s) => s.definition.id}
          size="small"
          loading={list.loading}
          dataSource={shown}
          pagination={{ pageSize: 15, showSizeChanger: false }}
          onRow={(s) => ({ onClick: () => setParams({ tag: s.definition.id }), style: { cursor: 'pointer' } })}
          scroll={{ x: 'max-content' }}
          columns={[
            {
              title: t('tags.name'),
              key: 'name',
              render: (_: unknown, s) => (
                <a
                  href={`?tag=${encodeURIComponent(s.definition.id)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    setParams({ tag: s.definition.id });
                  }}
                >
                  {bi(s.definition.name)}
                </a>
              ),
            },
            {
              title: t('tags.id'),
              key: 'id',
              render: (_: unknown, s) => (
                <Space size={4}>
                  <Typography.Text code>{s.definition.id}</Typography.Text>
                  {s.custom && <Tag color="gold">{t('tags.bank.marker')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('tags.family'),
              key: 'family',
              render: (_: unknown, s) => label('tagSubFamilies', s.definition.sub_family),
            },
            {
              title: t('tags.valueType'),
              key: 'type',
              render: (_: unknown, s) => label('valueTypes', s.definition.value_type),
            },
            { title: t('tags.dataClass'), dataIndex: 'dataClass' },
            {
              title: t('tags.coverage'),
              dataIndex: 'coverage',
              sorter: (a, b) => (a.coverage ?? 0) - (b.coverage ?? 0),
              render: (c: number | null) => (
                <Progress
                  percent={Math.round((c ?? 0) * 1000) / 10}
                  size="small"
                  style={{ width: 140 }}
                  aria-label={t('tags.coverage')}
                />
              ),
            },
            { title: t('tags.version'), dataIndex: 'version', render: (v: number) => `v${v}` },
          ]}
        />
      </Card>
      <TagDrawer
        id={open}
        onClose={() => setParams({})}
        onRetired={() => {
          setParams({});
          list.reload();
        }}
        onCopy={(text) => {
          setParams({});
          setEditing(text);
        }}
      />
      {editing !== undefined && (
        <BankTagEditor initialText={editing} onClose={() => setEditing(undefined)} onSaved={() => list.reload()} />
      )}
    </Page>
  );
}
