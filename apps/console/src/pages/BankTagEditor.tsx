import { defineTagsResponse, retireTagResponse, type tagDefinitionView } from '@lingxi/contracts/tags';
import { Alert, Button, Drawer, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, toError, withQuery } from '../api/client.ts';
import { ErrorAlert } from '../components/Page.tsx';

type DefineResult = z.infer<typeof defineTagsResponse>;

/** A starting point for a bank-specific tag (the definition language, see docs/tags.md). */
export const BANK_TAG_TEMPLATE = `id: bank.dining_spend_90d
name: { zh: 近90天餐饮消费, en: "Dining spend, 90 d" }
family: history
sub_family: behaviour
value_type: number
unit: fen
description: { zh: 近90天餐饮类消费合计(分), en: dining purchase spend in 90 days (fen) }
data_class: C2
purposes: [marketing, service]
version: 1
refresh: daily
compute:
  kind: aggregate
  source: transactions
  fn: sum
  column: amount_fen
  where:
    - { column: direction, op: eq, value: out }
    - { column: txn_type, op: eq, value: purchase }
    - { column: merchant_category, op: eq, value: dining }
  window: { within_days: 90 }
`;

/** A standard tag's definition as the JSON text of a bank tag to adapt: id under `bank.`, version 1. */
export function copyAsBankTag(def: z.infer<typeof tagDefinitionView>): string {
  return JSON.stringify({ ...def, id: `bank.${def.id.replace(/\./g, '_')}`, version: 1 }, null, 2);
}

/** Drawer to add or replace bank-specific tags from YAML or JSON: check (dry run), then save. */
export function BankTagEditor({
  initialText,
  onClose,
  onSaved,
}: {
  initialText: string;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(initialText);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  const [result, setResult] = useState<DefineResult>();
  const submit = async (dryRun: boolean) => {
    setBusy(true);
    setError(undefined);
    setResult(undefined);
    try {
      const r = await api('POST', '/api/v1/tags/definitions', defineTagsResponse, { text, dryRun });
      setResult(r);
      if (!dryRun) onSaved();
    } catch (e) {
      setError(toError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Drawer open onClose={onClose} size="large" title={t('tags.bank.title')}>
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Paragraph type="secondary">{t('tags.bank.help')}</Typography.Paragraph>
        <Input.TextArea
          aria-label={t('tags.bank.definitions')}
          value={text}
          onChange={(e) => setText(e.target.value)}
          autoSize={{ minRows: 16, maxRows: 32 }}
          spellCheck={false}
          style={{ fontFamily: 'monospace', fontSize: 12 }}
        />
        <Space>
          <Button loading={busy} onClick={() => submit(true)}>
            {t('tags.bank.check')}
          </Button>
          <Button type="primary" loading={busy} onClick={() => submit(false)}>
            {t('common.save')}
          </Button>
        </Space>
        <ErrorAlert error={error} />
        {result && (
          <Alert
            type="success"
            showIcon
            data-testid="bank-tag-result"
            title={t(result.dryRun ? 'tags.bank.valid' : 'tags.bank.saved', { count: result.tags.length })}
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {result.tags.map((r) => (
                  <li key={r.id}>
                    <Typography.Text code>{r.id}</Typography.Text>{' '}
                    <Tag>{t(r.created ? 'tags.bank.new' : 'tags.bank.replaced')}</Tag>
                    {r.sourceColumns.join(', ')}
                  </li>
                ))}
              </ul>
            }
          />
        )}
      </Space>
    </Drawer>
  );
}

/** Retires a bank-specific tag with a reason for the audit trail. */
export function RetireBankTag({ id, onRetired }: { id: string; onRetired(): void }) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error>();
  const retire = async () => {
    setError(undefined);
    try {
      await api('DELETE', withQuery(`/api/v1/tags/definitions/${id}`, { reason }), retireTagResponse);
      onRetired();
    } catch (e) {
      setError(toError(e));
    }
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space.Compact style={{ width: '100%' }}>
        <Input
          aria-label={t('common.reason')}
          placeholder={t('common.reason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
        />
        <Button danger disabled={reason.trim().length === 0} onClick={retire}>
          {t('tags.bank.retire')}
        </Button>
      </Space.Compact>
      <ErrorAlert error={error} />
    </Space>
  );
}
