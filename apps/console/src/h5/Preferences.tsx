import { type H5Preferences, h5Preferences } from '@lingxi/contracts/console-h5';
import { Alert, Button, Card, Result, Switch, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, toError, withQuery } from '../api/client.ts';
import { ErrorAlert } from '../components/Page.tsx';
import { Rows } from '../components/Rows.tsx';
import { dateTime, label, setDisplayTimezone } from '../format.ts';
import { useApi, usePageTitle } from '../hooks.ts';
import { H5Frame } from './H5App.tsx';

type Item = H5Preferences['items'][number];
const key = (i: Pick<Item, 'purpose' | 'channel'>) => `${i.purpose}|${i.channel}`;

export function PreferencesPage({ token }: { token: string }) {
  const { t } = useTranslation();
  usePageTitle('h5.preferencesTitle');
  const view = useApi(
    async () => {
      const v = await api('GET', withQuery('/api/v1/h5/preferences', { t: token }), h5Preferences);
      setDisplayTimezone(v.timezone); // the bank's zone, before anything renders a time
      return v;
    },
    [token],
    token.length > 0,
  );
  const [changes, setChanges] = useState<Record<string, boolean>>({});
  const [removed, setRemoved] = useState<string[]>([]);
  const [saved, setSaved] = useState<H5Preferences>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const data = saved ?? view.data;

  const save = async () => {
    if (!data) return;
    setBusy(true);
    setError(undefined);
    try {
      const list = data.items
        .filter((i) => changes[key(i)] !== undefined && changes[key(i)] !== (i.status === 'granted'))
        .map((i) => ({ purpose: i.purpose, channel: i.channel, status: changes[key(i)] ? 'granted' : 'withdrawn' }));
      setSaved(
        await api('POST', '/api/v1/h5/preferences', h5Preferences, {
          t: token,
          changes: list,
          deleteInterests: removed,
        }),
      );
      setChanges({});
      setRemoved([]);
    } catch (e) {
      setError(toError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <H5Frame>
      {!token && <Result status="warning" title={t('h5.noToken')} />}
      {view.error && <Result status="warning" title={t('h5.linkInvalid')} subTitle={view.error.message} />}
      {view.loading && <Card loading style={{ borderRadius: 16 }} />}
      {data && (
        <Card style={{ borderRadius: 16 }}>
          <Typography.Title level={1} style={{ fontSize: 22, marginTop: 0 }}>
            {t('h5.preferencesTitle')}
          </Typography.Title>
          <Typography.Paragraph type="secondary">
            {t('h5.preferencesIntro', { name: data.customer.nameMasked })}
          </Typography.Paragraph>
          {saved && <Alert type="success" showIcon title={t('h5.preferencesSaved')} style={{ marginBottom: 12 }} />}
          <ErrorAlert error={error} />
          <Rows
            items={data.items}
            keyOf={(i) => key(i)}
            render={(i) => {
              const on = changes[key(i)] ?? i.status === 'granted';
              const id = `pref-${i.purpose}-${i.channel}`.replace(/[^a-z0-9-]/gi, '_');
              return (
                <div className="lx-row">
                  <div>
                    <label htmlFor={id}>{`${label('purposes', i.purpose)} · ${label('channels', i.channel)}`}</label>
                    {i.recordedAt && (
                      <div>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {t('h5.lastChanged', { date: dateTime(i.recordedAt) })}
                        </Typography.Text>
                      </div>
                    )}
                  </div>
                  <Switch id={id} checked={on} onChange={(v) => setChanges((c) => ({ ...c, [key(i)]: v }))} />
                </div>
              );
            }}
          />
          <Typography.Title level={2} style={{ fontSize: 17, marginTop: 16 }}>
            {t('h5.interestsTitle')}
          </Typography.Title>
          <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
            {t('h5.interestsIntro')}
          </Typography.Paragraph>
          <div data-testid="interests">
            {data.interests.filter((i) => !removed.includes(i)).length === 0 && (
              <Typography.Text type="secondary">{t('h5.interestsNone')}</Typography.Text>
            )}
            {data.interests
              .filter((i) => !removed.includes(i))
              .map((i) => {
                const name = label('interests', i.replace(/^interest\./, ''));
                return (
                  <Tag
                    key={i}
                    closable
                    closeIcon={
                      <span role="img" aria-label={t('h5.interestsRemove', { name })}>
                        ×
                      </span>
                    }
                    onClose={() => setRemoved((r) => [...r, i])}
                    style={{ marginBottom: 8, fontSize: 14, padding: '2px 8px' }}
                  >
                    {name}
                  </Tag>
                );
              })}
          </div>
          <Button type="primary" block size="large" loading={busy} onClick={save} style={{ marginTop: 12 }}>
            {t('common.save')}
          </Button>
          <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginTop: 12 }}>
            {t('h5.preferencesNote')}
          </Typography.Paragraph>
        </Card>
      )}
    </H5Frame>
  );
}
