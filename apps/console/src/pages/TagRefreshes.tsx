import { type RefreshRunDto, refreshResponse, refreshRunsResponse } from '@lingxi/contracts/tags';
import { Alert, Button, Card, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, toError } from '../api/client.ts';
import { useAuth } from '../auth.tsx';
import { ErrorAlert } from '../components/Page.tsx';
import { dateTime, daysSince, int } from '../format.ts';
import { useApi } from '../hooks.ts';

const STATUS_COLOUR: Record<RefreshRunDto['status'], string> = {
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
};

/**
 * The tag refreshes: the latest failure (a failed nightly refresh is otherwise only in the server log), the recent runs
 * and, for analysts, a refresh on demand (needed after changing a threshold or a bank tag, which apply from the next
 * refresh). `onRefreshed` reloads the catalogue around it.
 */
export function TagRefreshes({ asOf, onRefreshed }: { asOf: string | null | undefined; onRefreshed(): void }) {
  const { t } = useTranslation();
  const { can } = useAuth();
  const runs = useApi(() => api('GET', '/api/v1/tags/refreshes?limit=5', refreshRunsResponse), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [done, setDone] = useState<z.infer<typeof refreshResponse>>();
  const latest = runs.data?.runs[0];
  // the daily refresh writes today's snapshot; two days behind means it has not run (server down, schedule off)
  const behind = asOf ? daysSince(asOf) : 0;
  const refresh = async () => {
    setBusy(true);
    setError(undefined);
    setDone(undefined);
    try {
      setDone(await api('POST', '/api/v1/tags/refresh', refreshResponse, {}));
      onRefreshed();
    } catch (e) {
      setError(toError(e));
    } finally {
      setBusy(false);
      runs.reload();
    }
  };
  return (
    <Card
      title={t('tags.runs.title')}
      style={{ marginBottom: 16 }}
      extra={
        can('tags.refresh') && (
          <Button loading={busy} onClick={refresh}>
            {t('tags.runs.refreshNow')}
          </Button>
        )
      }
    >
      <ErrorAlert error={runs.error ?? error} />
      {latest?.status === 'failed' && (
        <Alert
          type="error"
          showIcon
          data-testid="tag-refresh-failed"
          style={{ marginBottom: 12 }}
          title={t('tags.runs.lastFailed', { time: dateTime(latest.startedAt), asOf: latest.asOf })}
          description={latest.error}
        />
      )}
      {behind > 1 && (
        <Alert
          type="warning"
          showIcon
          data-testid="tag-snapshot-stale"
          style={{ marginBottom: 12 }}
          title={t('tags.runs.stale', { asOf, days: behind })}
        />
      )}
      {done && (
        <Alert
          type="success"
          role="status"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('tags.runs.refreshed', {
            asOf: done.asOf,
            tags: done.tags,
            seconds: (done.durationMs / 1000).toFixed(1),
            count: done.newVersions.length,
          })}
        />
      )}
      <Table<RefreshRunDto>
        rowKey="runId"
        size="small"
        aria-label={t('tags.runs.title')}
        loading={runs.loading}
        pagination={false}
        dataSource={runs.data?.runs ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('tags.runs.startedAt'), dataIndex: 'startedAt', render: (v: string) => dateTime(v) },
          { title: t('tags.runs.asOf'), dataIndex: 'asOf' },
          {
            title: t('tags.runs.trigger'),
            key: 'trigger',
            render: (_: unknown, r) => `${t(`tags.runs.triggers.${r.trigger}`)}${r.actor ? ` · ${r.actor}` : ''}`,
          },
          {
            title: t('tags.runs.status'),
            dataIndex: 'status',
            render: (s: RefreshRunDto['status']) => <Tag color={STATUS_COLOUR[s]}>{t(`tags.runs.statuses.${s}`)}</Tag>,
          },
          {
            title: t('tags.runs.duration'),
            dataIndex: 'durationMs',
            render: (ms: number | null) => (ms === null ? '–' : `${(ms / 1000).toFixed(1)} s`),
          },
          { title: t('tags.runs.tags'), dataIndex: 'tags', render: (n: number | null) => int(n) },
          { title: t('tags.runs.customers'), dataIndex: 'customers', render: (n: number | null) => int(n) },
          {
            title: t('tags.runs.newVersions'),
            dataIndex: 'newVersions',
            render: (v: string[] | null) =>
              !v || v.length === 0
                ? '–'
                : v.length <= 3
                  ? v.join(', ')
                  : t('tags.runs.moreVersions', { list: v.slice(0, 3).join(', '), count: v.length }),
          },
        ]}
      />
    </Card>
  );
}
