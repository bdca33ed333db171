import {
  type RuleDescription,
  type RuleParameter,
  ruleDescription,
  rulesResponse,
} from '@lingxi/contracts/console-compliance';
import { Button, Card, Collapse, Form, Input, InputNumber, Modal, Select, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, toError } from '../api/client.ts';
import { useAuth } from '../auth.tsx';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { bi, label } from '../format.ts';
import { useApi } from '../hooks.ts';

function show(v: unknown): string {
  if (Array.isArray(v)) return v.join(', ');
  if (typeof v === 'boolean') return v ? '✓' : '✗';
  if (v === null || v === undefined) return '–';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function ParamInput({ p, value, onChange }: { p: RuleParameter; value: unknown; onChange(v: unknown): void }) {
  if (p.type === 'boolean') return <Switch checked={value === true} onChange={onChange} />;
  if (p.type === 'number' || p.type === 'duration')
    return (
      <InputNumber
        value={typeof value === 'number' ? value : undefined}
        min={p.bounds?.min}
        max={p.bounds?.max}
        onChange={(v) => onChange(v)}
      />
    );
  if (p.type === 'enum' && p.values)
    return (
      <Select
        value={typeof value === 'string' ? value : undefined}
        onChange={onChange}
        options={p.values.map((v) => ({ value: v, label: v }))}
        style={{ width: 160 }}
      />
    );
  if (p.type === 'list' && p.values)
    return (
      <Select
        mode="multiple"
        value={Array.isArray(value) ? value : []}
        onChange={onChange}
        options={p.values.map((v) => ({ value: v, label: v }))}
        style={{ minWidth: 240 }}
      />
    );
  return <Input value={typeof value === 'string' ? value : show(value)} onChange={(e) => onChange(e.target.value)} />;
}

function EditRule({ rule, onClose, onSaved }: { rule: RuleDescription; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const [values, setValues] = useState<Record<string, unknown>>(
    Object.fromEntries(Object.entries(rule.parameters).map(([k, p]) => [k, p.value])),
  );
  const [reason, setReason] = useState('');
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await api('PUT', `/api/v1/compliance/rules/${rule.id}/parameters`, ruleDescription, { values, reason });
      onSaved();
    } catch (e) {
      setError(toError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={t('rules.editTitle', { id: rule.id, title: bi(rule.title) })}
      onCancel={onClose}
      onOk={save}
      okButtonProps={{ disabled: reason.trim().length < 5 }}
      confirmLoading={busy}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      width={640}
    >
      <ErrorAlert error={error} />
      <Form layout="vertical">
        {Object.entries(rule.parameters).map(([k, p]) => (
          <Form.Item
            key={k}
            label={`${k}${p.unit ? ` (${p.unit})` : ''}`}
            extra={`${bi(p.description)}${p.tightenOnly ? ` · ${t('rules.tightenOnly', { dir: p.tighten })}` : ''}`}
          >
            <ParamInput p={p} value={values[k]} onChange={(v) => setValues((s) => ({ ...s, [k]: v }))} />
          </Form.Item>
        ))}
        <Form.Item label={t('rules.reason')} required extra={t('rules.reasonHelp')}>
          <Input.TextArea rows={2} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function RulesPage() {
  const { t } = useTranslation();
  const { can } = useAuth();
  const list = useApi(() => api('GET', '/api/v1/compliance/rules', rulesResponse), []);
  const [editing, setEditing] = useState<RuleDescription>();
  const rules = list.data?.rules ?? [];
  const categories = [...new Set(rules.map((r) => r.category))];
  const writable = can('compliance.rules.write');

  return (
    <Page title="nav.rules">
      <ErrorAlert error={list.error} />
      <Typography.Paragraph type="secondary">{t('rules.intro')}</Typography.Paragraph>
      {categories.map((c) => (
        <Card key={c} title={label('ruleCategories', c)} style={{ marginBottom: 16 }} loading={list.loading}>
          <Collapse
            items={rules
              .filter((r) => r.category === c)
              .map((r) => ({
                key: r.id,
                label: (
                  <span>
                    <Tag>{r.id}</Tag>
                    {bi(r.title)}
                    {Object.keys(r.parameters).length > 0 && (
                      <Tag color="blue" style={{ marginLeft: 8 }}>
                        {t('rules.params', { n: Object.keys(r.parameters).length })}
                      </Tag>
                    )}
                  </span>
                ),
                extra:
                  writable && Object.keys(r.parameters).length > 0 ? (
                    <Button
                      size="small"
                      onClick={(e) => {
                        e.stopPropagation();
                        setEditing(r);
                      }}
                    >
                      {t('common.edit')}
                    </Button>
                  ) : undefined,
                children: (
                  <>
                    <Typography.Paragraph>{bi(r.summary)}</Typography.Paragraph>
                    <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                      {t('rules.citation')}: {r.citation} · {t('rules.confidence')}: {r.confidence}
                    </Typography.Paragraph>
                    {Object.keys(r.parameters).length > 0 && (
                      <Table
                        size="small"
                        pagination={false}
                        rowKey="name"
                        dataSource={Object.entries(r.parameters).map(([name, p]) => ({ name, ...p }))}
                        columns={[
                          { title: t('rules.param'), dataIndex: 'name' },
                          { title: t('rules.value'), dataIndex: 'value', render: (v: unknown) => show(v) },
                          { title: t('rules.default'), dataIndex: 'default', render: (v: unknown) => show(v) },
                          { title: t('rules.unit'), dataIndex: 'unit', render: (v: string | null) => v ?? '–' },
                          {
                            title: t('rules.description'),
                            dataIndex: 'description',
                            render: (d: { zh: string; en: string }) => bi(d),
                          },
                        ]}
                      />
                    )}
                  </>
                ),
              }))}
          />
        </Card>
      ))}
      {editing && (
        <EditRule
          rule={editing}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            list.reload();
          }}
        />
      )}
    </Page>
  );
}
