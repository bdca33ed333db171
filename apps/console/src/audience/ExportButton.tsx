import type { AudienceExports } from '@lingxi/contracts/audiences';
import { approvalView } from '@lingxi/contracts/console-compliance';
import { App, Button, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, download, toError, withQuery } from '../api/client.ts';
import { useAuth } from '../auth.tsx';
import { ErrorAlert } from '../components/Page.tsx';
import { dateTime } from '../format.ts';

/**
 * Exports an audience (or one of its frozen snapshots) as CSV. From the data level in force (P10) an export needs an
 * approved export approval of the exporter, good for one export: the button then asks for one (with a reason for the
 * checker), waits while it is pending, and exports with it once approved.
 */
export function ExportButton(props: {
  audience: { id: string; name: string };
  snapshot?: number;
  size?: 'small' | 'middle';
  exports: AudienceExports | undefined;
  onChange(): void;
  onError(e: Error | undefined): void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { can } = useAuth();
  const { audience, snapshot, exports } = props;
  const size = props.size ?? 'middle';
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [askError, setAskError] = useState<Error>();
  const mine = (exports?.approvals ?? []).filter((a) => a.snapshot === (snapshot ?? null));
  const usable = mine.find((a) => a.status === 'approved' && a.usedAt === null && !a.expired);
  const pending = mine.find((a) => a.status === 'pending');
  const required = exports?.policy.approvalRequired ?? true;
  const file = `${audience.id}${snapshot === undefined ? '' : `-${snapshot}`}.csv`;

  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    props.onError(undefined);
    try {
      await f();
    } catch (e) {
      props.onError(toError(e));
    } finally {
      setBusy(false);
    }
  };

  const exportNow = (approval?: number) =>
    run(async () => {
      await download(withQuery(`/api/v1/audiences/${audience.id}/export`, { snapshot, approval }), file);
      props.onChange();
    });

  const ask = async () => {
    setAskError(undefined);
    try {
      const a = await api('POST', `/api/v1/audiences/${audience.id}/export-approvals`, approvalView, {
        title:
          snapshot === undefined
            ? t('audience.exportTitle', { name: audience.name })
            : t('audience.exportTitleSnapshot', { name: audience.name, id: snapshot }),
        reason: reason.trim(),
        ...(snapshot === undefined ? {} : { snapshot }),
      });
      setAsking(false);
      setReason('');
      message.success(t('audience.exportRequested', { id: a.id }));
      props.onChange();
    } catch (e) {
      setAskError(toError(e));
    }
  };

  if (!exports) return <Button size={size} loading disabled aria-label={t('audience.export')} />;
  if (!required)
    return (
      <Button size={size} loading={busy} onClick={() => exportNow()}>
        {t('audience.export')}
      </Button>
    );
  if (usable)
    return (
      <Button
        size={size}
        type="primary"
        loading={busy}
        title={usable.expiresAt ? t('audience.exportValidUntil', { at: dateTime(usable.expiresAt) }) : undefined}
        onClick={() => exportNow(usable.id)}
      >
        {t('audience.exportApproved', { id: usable.id })}
      </Button>
    );
  if (pending)
    return (
      <Button size={size} disabled>
        {t('audience.exportPending', { id: pending.id })}
      </Button>
    );
  if (!can('approvals.submit')) return null;
  return (
    <>
      <Button size={size} onClick={() => setAsking(true)}>
        {t('audience.exportRequest')}
      </Button>
      <Modal
        open={asking}
        title={t('audience.exportRequest')}
        onCancel={() => setAsking(false)}
        onOk={ask}
        okButtonProps={{ disabled: reason.trim().length < 5 }}
        okText={t('common.submit')}
        cancelText={t('common.cancel')}
      >
        <Typography.Paragraph type="secondary">
          {t('audience.exportPolicy', { level: exports.policy.level })}
        </Typography.Paragraph>
        <label htmlFor={`export-reason-${snapshot ?? 'live'}`}>{t('audience.exportReason')}</label>
        <Input.TextArea
          id={`export-reason-${snapshot ?? 'live'}`}
          rows={3}
          maxLength={1000}
          value={reason}
          placeholder={t('audience.exportReasonHelp')}
          onChange={(e) => setReason(e.target.value)}
        />
        <ErrorAlert error={askError} />
      </Modal>
    </>
  );
}
