import { settingsResponse, type settingsUpdate } from '@lingxi/contracts/console-compliance';
import { Button, Card, Input, InputNumber, Switch, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api } from '../api/client.ts';
import { useAuth } from '../auth.tsx';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { bi, dateTime } from '../format.ts';
import { useApi } from '../hooks.ts';

type Setting = z.infer<typeof settingsResponse>['settings'][number];

export function AdminSettingsPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = useApi(() => api('GET', '/api/v1/settings', settingsResponse), []);
  const [draft, setDraft] = useState<Record<string, unknown>>({});
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error>();
  const writable = can('settings.write');
  const save = async () => {
    setError(undefined);
    try {
      const body: z.infer<typeof settingsUpdate> = { values: draft, reason };
      await api('PATCH', '/api/v1/settings', settingsResponse, body);
      setDraft({});
      setReason('');
      list.reload();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  const editor = (s: Setting) => {
    const v = s.key in draft ? draft[s.key] : s.value;
    const set = (x: unknown) => setDraft((d) => ({ ...d, [s.key]: x }));
    if (!writable) return String(v);
    if (s.type === 'boolean') return <Switch aria-label={s.key} checked={v === true} onChange={set} />;
    if (s.type === 'number')
      return <InputNumber aria-label={s.key} value={typeof v === 'number' ? v : undefined} onChange={set} />;
    return <Input aria-label={s.key} value={typeof v === 'string' ? v : ''} onChange={(e) => set(e.target.value)} />;
  };
  return (
    <Page title="nav.settings">
      <ErrorAlert error={list.error ?? error} />
      <Card>
        <Table<Setting>
          rowKey="key"
          size="small"
          loading={list.loading}
          pagination={false}
          dataSource={list.data?.settings ?? []}
          columns={[
            { title: t('settings.key'), dataIndex: 'key' },
            { title: t('settings.value'), key: 'value', render: (_: unknown, s) => editor(s) },
            { title: t('rules.description'), dataIndex: 'description', render: (d: Setting['description']) => bi(d) },
            {
              title: t('settings.updated'),
              key: 'u',
              render: (_: unknown, s) => `${dateTime(s.updatedAt)} ${s.updatedBy ?? ''}`,
            },
          ]}
        />
        {writable && Object.keys(draft).length > 0 && (
          <div style={{ display: 'flex', gap: 8, marginTop: 12 }}>
            <Input
              aria-label={t('rules.reason')}
              placeholder={t('rules.reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <Button type="primary" disabled={reason.trim().length < 5} onClick={save}>
              {t('common.save')}
            </Button>
          </div>
        )}
      </Card>
    </Page>
  );
}
