import {
  audienceExports,
  audienceList,
  audiencePurpose,
  audienceView,
  countResponse,
  overlapResponse,
  sampleResponse,
  snapshotList,
  snapshotResponse,
} from '@lingxi/contracts/audiences';
import { tagListResponse } from '@lingxi/contracts/tags';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  Row,
  Select,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { EChartsOption } from 'echarts';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, toError, withQuery } from '../api/client.ts';
import { GroupEditor, type TagIndex } from '../audience/Builder.tsx';
import { ExportButton } from '../audience/ExportButton.tsx';
import { countLeaves, type Expr, emptyGroup, fromExpr, type GroupNode, toExpr } from '../audience/tree.ts';
import { useAuth } from '../auth.tsx';
import { Chart } from '../components/Chart.tsx';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { Rows } from '../components/Rows.tsx';
import { dateTime, int, label } from '../format.ts';
import { useApi, useDebounced } from '../hooks.ts';

type Purpose = z.infer<typeof audiencePurpose>;
type AudienceView = z.infer<typeof audienceView>;
type Snapshot = z.infer<typeof snapshotResponse>;

function OverlapCard({ audiences }: { audiences: AudienceView[] }) {
  const { t } = useTranslation();
  const [a, setA] = useState<string>();
  const [b, setB] = useState<string>();
  const ea = audiences.find((x) => x.id === a);
  const eb = audiences.find((x) => x.id === b);
  const overlap = useApi(
    () =>
      api('POST', '/api/v1/audiences/overlap', overlapResponse, {
        a: ea?.expression,
        b: eb?.expression,
        purpose: ea?.purpose ?? 'marketing',
      }),
    [a, b],
    Boolean(ea && eb),
  );
  const o = overlap.data;
  const option = useMemo<EChartsOption | undefined>(
    () =>
      o && ea && eb
        ? {
            tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
            grid: { left: 110, right: 24, top: 8, bottom: 24 },
            xAxis: { type: 'value', minInterval: 1 },
            yAxis: {
              type: 'category',
              data: [t('audience.onlyA'), t('audience.both'), t('audience.onlyB')],
            },
            series: [
              {
                type: 'bar',
                name: t('common.customers'),
                data: [
                  { value: o.a - o.intersection, itemStyle: { color: '#b8321f' } },
                  { value: o.intersection, itemStyle: { color: '#722ed1' } },
                  { value: o.b - o.intersection, itemStyle: { color: '#1677ff' } },
                ],
              },
            ],
          }
        : undefined,
    [o, ea, eb, t],
  );
  const opts = audiences.map((x) => ({ value: x.id, label: x.name }));
  return (
    <Card title={t('audience.overlap')} data-testid="overlap">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Select
          aria-label={t('audience.audienceA')}
          placeholder={t('audience.audienceA')}
          options={opts}
          value={a}
          onChange={setA}
          style={{ width: '100%' }}
        />
        <Select
          aria-label={t('audience.audienceB')}
          placeholder={t('audience.audienceB')}
          options={opts}
          value={b}
          onChange={setB}
          style={{ width: '100%' }}
        />
        <ErrorAlert error={overlap.error} />
        {o && option && (
          <>
            <Space size="large" wrap>
              <Statistic title="A" value={o.a} />
              <Statistic title="B" value={o.b} />
              <Statistic title={t('audience.both')} value={o.intersection} />
              <Statistic title={t('audience.union')} value={o.union} />
            </Space>
            <Chart option={option} height={160} label={t('audience.overlap')} />
          </>
        )}
      </Space>
    </Card>
  );
}

export function AudiencesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const catalogue = useApi(() => api('GET', '/api/v1/tags', tagListResponse), []);
  const saved = useApi(() => api('GET', '/api/v1/audiences', audienceList), []);
  const tags: TagIndex = useMemo(
    () => new Map((catalogue.data?.tags ?? []).map((s) => [s.definition.id, s])),
    [catalogue.data],
  );

  const [tree, setTree] = useState<GroupNode>(() => emptyGroup('and'));
  const [name, setName] = useState('');
  const [purpose, setPurpose] = useState<Purpose>('marketing');
  const [current, setCurrent] = useState<AudienceView>();
  const [snapshot, setSnapshot] = useState<Snapshot>();
  const [busy, setBusy] = useState<string>();
  const [actionError, setActionError] = useState<Error>();

  const expr: Expr | undefined = useMemo(() => toExpr(tree), [tree]);
  const exprKey = JSON.stringify(expr ?? null);
  const debounced = useDebounced(`${purpose}|${exprKey}`, 400);
  const [dPurpose, dExpr] = [debounced.slice(0, debounced.indexOf('|')), debounced.slice(debounced.indexOf('|') + 1)];
  const count = useApi(
    () => api('POST', '/api/v1/audiences/count', countResponse, { expression: JSON.parse(dExpr), purpose: dPurpose }),
    [debounced],
    dExpr !== 'null',
  );
  const pending = debounced !== `${purpose}|${exprKey}` || count.loading;

  const sample = useApi(
    () => api('GET', withQuery(`/api/v1/audiences/${current?.id}/sample`, { size: 10 }), sampleResponse),
    [current?.id, current?.updatedAt],
    current !== undefined,
  );

  const exports = useApi(
    () => api('GET', `/api/v1/audiences/${current?.id}/exports`, audienceExports),
    [current?.id],
    current !== undefined && can('audiences.export'),
  );

  // while an export approval awaits the checker, look again now and then: the button turns into the export once approved
  const awaiting = exports.data?.approvals.some((a) => a.status === 'pending') ?? false;
  const reloadExports = exports.reload;
  useEffect(() => {
    if (!awaiting) return;
    const timer = setInterval(reloadExports, 10_000);
    return () => clearInterval(timer);
  }, [awaiting, reloadExports]);

  const snapshots = useApi(
    () => api('GET', `/api/v1/audiences/${current?.id}/snapshots`, snapshotList),
    [current?.id, snapshot?.id],
    current !== undefined,
  );

  const act = async (what: string, f: () => Promise<void>) => {
    setBusy(what);
    setActionError(undefined);
    try {
      await f();
    } catch (e) {
      setActionError(toError(e));
    } finally {
      setBusy(undefined);
    }
  };

  const save = () =>
    act('save', async () => {
      const body = { name: name.trim(), expression: expr, purpose };
      const v = current
        ? await api('PUT', `/api/v1/audiences/${current.id}`, audienceView, body)
        : await api('POST', '/api/v1/audiences', audienceView, body);
      setCurrent(v);
      setSnapshot(undefined);
      saved.reload();
      message.success(t('audience.saved', { name: v.name }));
    });

  const load = (v: AudienceView) => {
    setCurrent(v);
    setName(v.name);
    setPurpose(v.purpose);
    setTree(fromExpr(v.expression));
    setSnapshot(undefined);
  };

  const reset = () => {
    setCurrent(undefined);
    setName('');
    setPurpose('marketing');
    setTree(emptyGroup('and'));
    setSnapshot(undefined);
  };

  const c = count.data;
  const canWrite = can('audiences.write');

  return (
    <Page title="nav.audiences">
      <ErrorAlert error={catalogue.error} />
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card
            title={current ? t('audience.editing', { name: current.name }) : t('audience.newAudience')}
            extra={
              <Button size="small" onClick={reset}>
                {t('audience.new')}
              </Button>
            }
            loading={catalogue.loading}
          >
            <Form layout="inline" style={{ marginBottom: 12, rowGap: 8 }}>
              <Form.Item label={t('audience.name')} htmlFor="audience-name">
                <Input
                  id="audience-name"
                  value={name}
                  onChange={(e) => setName(e.target.value)}
                  maxLength={200}
                  style={{ width: 260 }}
                />
              </Form.Item>
              <Form.Item label={t('audience.purpose')}>
                <Select<Purpose>
                  aria-label={t('audience.purpose')}
                  value={purpose}
                  onChange={setPurpose}
                  style={{ width: 140 }}
                  options={audiencePurpose.options.map((p) => ({ value: p, label: label('purposes', p) }))}
                />
              </Form.Item>
            </Form>
            <GroupEditor group={tree} tags={tags} onChange={setTree} />
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, fontSize: 12 }}>
              {t('audience.conditions', { count: countLeaves(tree) })}
            </Typography.Paragraph>
            <ErrorAlert error={actionError ?? exports.error} />
            <Space wrap>
              {canWrite && (
                <Button type="primary" onClick={save} loading={busy === 'save'} disabled={!expr || !name.trim()}>
                  {current ? t('audience.update') : t('common.save')}
                </Button>
              )}
              {canWrite && current && (
                <Button
                  loading={busy === 'snapshot'}
                  onClick={() =>
                    act('snapshot', async () => {
                      setSnapshot(await api('POST', `/api/v1/audiences/${current.id}/snapshot`, snapshotResponse));
                    })
                  }
                >
                  {t('audience.snapshot')}
                </Button>
              )}
              {can('audiences.export') && current && (
                <ExportButton
                  audience={current}
                  exports={exports.data}
                  onChange={exports.reload}
                  onError={setActionError}
                />
              )}
            </Space>
            {snapshot && (
              <Alert
                style={{ marginTop: 12 }}
                type="success"
                showIcon
                data-testid="snapshot"
                title={t('audience.snapshotDone', {
                  id: snapshot.id,
                  count: int(snapshot.count),
                  asOf: snapshot.asOf,
                })}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Card title={t('audience.liveCount')}>
              {!expr ? (
                <Typography.Text type="secondary">{t('audience.addToCount')}</Typography.Text>
              ) : (
                <>
                  <div
                    aria-live="polite"
                    data-testid="audience-count"
                    data-count={c?.count ?? ''}
                    data-pending={String(pending)}
                  >
                    <Statistic title={t('common.customers')} value={c ? c.count : '…'} loading={!c && pending} />
                  </div>
                  <ErrorAlert error={count.error} />
                  {c && (
                    <Space orientation="vertical" size={4}>
                      {c.rules.map((r) => (
                        <Typography.Text key={r.id} type="secondary" data-testid={`rule-${r.id}-${r.effect}`}>
                          <Tag>{r.id}</Tag>
                          {r.id === 'P4'
                            ? r.effect === 'applied'
                              ? t('audience.excluded', { n: int(c.excluded) })
                              : t('audience.p4Exempt', { purpose: t(`purposes.${purpose}`) })
                            : r.detail}
                        </Typography.Text>
                      ))}
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('audience.countMeta', { asOf: c.asOf, ms: c.elapsedMs.toFixed(1) })}
                      </Typography.Text>
                    </Space>
                  )}
                </>
              )}
            </Card>
            <Card title={t('audience.savedList')} loading={saved.loading}>
              <ErrorAlert error={saved.error} />
              <Rows
                items={saved.data?.audiences ?? []}
                keyOf={(v) => v.id}
                empty={<Empty description={t('audience.noneSaved')} />}
                active={(v) => v.id === current?.id}
                render={(v) => (
                  <div className="lx-row">
                    <div>
                      <div>{v.name}</div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {`${label('purposes', v.purpose)} · ${v.createdBy} · ${dateTime(v.updatedAt)}`}
                      </Typography.Text>
                    </div>
                    <Button size="small" type="link" onClick={() => load(v)}>
                      {t('audience.open')}
                    </Button>
                  </div>
                )}
              />
            </Card>
            <OverlapCard audiences={saved.data?.audiences ?? []} />
          </Space>
        </Col>
      </Row>
      {current && (
        <Card title={t('audience.sample')} style={{ marginTop: 16 }}>
          <ErrorAlert error={sample.error} />
          {sample.data && (
            <Typography.Paragraph type="secondary" data-testid="sample-scope">
              {sample.data.inScope === sample.data.count
                ? t('audience.sampleAll', { n: int(sample.data.count) })
                : t('audience.sampleScoped', { n: int(sample.data.inScope), count: int(sample.data.count) })}
            </Typography.Paragraph>
          )}
          <Table
            size="small"
            rowKey="id"
            loading={sample.loading}
            pagination={false}
            dataSource={sample.data?.customers ?? []}
            columns={[
              { title: t('customer.id'), dataIndex: 'id' },
              { title: t('customer.name'), dataIndex: 'nameMasked' },
              { title: t('customer.mobile'), dataIndex: 'mobileMasked', render: (v: string | null) => v ?? '–' },
            ]}
          />
        </Card>
      )}
      {current && (
        <Card title={t('audience.snapshots')} style={{ marginTop: 16 }}>
          <ErrorAlert error={snapshots.error} />
          <Table
            size="small"
            rowKey="id"
            data-testid="snapshot-list"
            loading={snapshots.loading}
            pagination={{ pageSize: 10, hideOnSinglePage: true }}
            locale={{ emptyText: t('audience.noSnapshots') }}
            dataSource={snapshots.data?.snapshots ?? []}
            columns={[
              { title: t('audience.snapshotId'), dataIndex: 'id', render: (v: number) => `#${v}` },
              { title: t('audience.asOf'), dataIndex: 'asOf' },
              { title: t('common.customers'), dataIndex: 'count', render: (v: number) => int(v) },
              { title: t('audience.excludedP4'), dataIndex: 'excluded', render: (v: number) => int(v) },
              { title: t('audience.frozenAt'), dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
              ...(can('audiences.export')
                ? [
                    {
                      title: '',
                      key: 'export',
                      render: (_: unknown, s: { id: number }) => (
                        <ExportButton
                          size="small"
                          audience={current}
                          snapshot={s.id}
                          exports={exports.data}
                          onChange={exports.reload}
                          onError={setActionError}
                        />
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      )}
    </Page>
  );
}
