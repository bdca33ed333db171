import { settingsResponse, type settingsUpdate } from '@lingxi/contracts/console-compliance';
import { Alert, Button, Card, Input, InputNumber, Switch, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, toError } from '../api/client.ts';
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
  const [saved, setSaved] = useState(false);
  const writable = can('settings.write');
  const save = async () => {
    setError(undefined);
    setSaved(false);
    try {
      const body: z.infer<typeof settingsUpdate> = { values: draft, reason };
      await api('PATCH', '/api/v1/settings', settingsResponse, body);
      setDraft({});
      setReason('');
      setSaved(true);
      list.reload();
    } catch (e) {
      setError(toError(e));
    }
  };
  const editor = (s: Setting) => {
    const v = s.key in draft ? draft[s.key] : s.value;
    const set = (x: unknown) => {
      setSaved(false);
      setDraft((d) => ({ ...d, [s.key]: x }));
    };
    if (!writable) return String(v);
    if (s.type === 'boolean') return <Switch aria-label={s.key} checked={v === true} onChange={set} />;
    if (s.type === 'number')
      return <InputNumber aria-label={s.key} value={typeof v === 'number' ? v : undefined} onChange={set} />;
    return <Input aria-label={s.key} value={typeof v === 'string' ? v : ''} onChange={(e) => set(e.target.value)} />;
  };
  const settings = list.data?.settings ?? [];
  const table = (rows: Setting[], label: string) => (
    <Table<Setting>
      rowKey="key"
      size="small"
      aria-label={label}
      loading={list.loading}
      pagination={false}
      dataSource={rows}
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
  );
  const segmentation = (s: Setting) => s.key.startsWith('segmentation.');
  return (
    <Page title="nav.settings">
      <ErrorAlert error={list.error ?? error} />
      {saved && (
        <Alert type="success" role="status" showIcon title={t('settings.saved')} style={{ marginBottom: 16 }} />
      )}
      <Card title={t('settings.system')}>
        {table(
          settings.filter((s) => !segmentation(s)),
          t('settings.system'),
        )}
      </Card>
      <Card title={t('settings.segmentation')} style={{ marginTop: 16 }}>
        <Alert type="info" role="note" showIcon title={t('settings.segmentationNote')} style={{ marginBottom: 12 }} />
        {table(settings.filter(segmentation), t('settings.segmentation'))}
      </Card>
      {writable && Object.keys(draft).length > 0 && (
        <Card style={{ marginTop: 16 }}>
          <div style={{ display: 'flex', gap: 8 }}>
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
        </Card>
      )}
    </Page>
  );
}
