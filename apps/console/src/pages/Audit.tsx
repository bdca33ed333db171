import { type AuditEntry, auditList, auditVerification } from '@lingxi/contracts/console-auth';
import { AUDIT_ACTIONS } from '@lingxi/core/audit/actions';
import { Alert, Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { z } from 'zod';
import { api, toError, withQuery } from '../api/client.ts';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { dateTime, int, label } from '../format.ts';
import { useApi } from '../hooks.ts';

interface Filters {
  actor?: string;
  action?: string;
  target?: string;
}

export function AuditPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters: Filters = {
    actor: params.get('actor') ?? undefined,
    action: params.get('action') ?? undefined,
    target: params.get('target') ?? undefined,
  };
  const [before, setBefore] = useState<number[]>([]);
  const cursor = before.at(-1);
  const key = params.toString();
  const list = useApi(
    () => api('GET', withQuery('/api/v1/audit', { ...filters, before: cursor, limit: 50 }), auditList),
    [key, cursor],
  );
  const [verify, setVerify] = useState<z.infer<typeof auditVerification>>();
  const [verifyError, setVerifyError] = useState<Error>();
  const [verifying, setVerifying] = useState(false);

  const runVerify = async () => {
    setVerifying(true);
    setVerifyError(undefined);
    try {
      setVerify(await api('POST', '/api/v1/audit/verify', auditVerification));
    } catch (e) {
      setVerifyError(toError(e));
    } finally {
      setVerifying(false);
    }
  };

  return (
    <Page
      title="nav.audit"
      extra={
        <Button type="primary" onClick={runVerify} loading={verifying} data-testid="verify-chain">
          {t('audit.verify')}
        </Button>
      }
    >
      <ErrorAlert error={verifyError} />
      {verify && (
        <Alert
          type={verify.ok ? 'success' : 'error'}
          showIcon
          data-testid="verify-result"
          style={{ marginBottom: 16 }}
          title={verify.ok ? t('audit.chainOk', { n: int(verify.checked) }) : t('audit.chainBroken')}
          description={
            verify.firstBroken
              ? t('audit.brokenAt', {
                  seq: verify.firstBroken.seq,
                  reason: verify.firstBroken.reason,
                  detail: verify.firstBroken.detail,
                })
              : t('audit.head', { seq: verify.head.seq, hash: verify.head.hash.slice(0, 16) })
          }
        />
      )}
      <Card style={{ marginBottom: 16 }}>
        <Form<Filters>
          layout="inline"
          initialValues={filters}
          onFinish={(v) => {
            const next: Record<string, string> = {};
            for (const [k, val] of Object.entries(v)) if (typeof val === 'string' && val.trim()) next[k] = val.trim();
            setBefore([]);
            setParams(next);
          }}
          style={{ rowGap: 8 }}
        >
          <Form.Item label={t('audit.actor')} name="actor">
            <Input allowClear style={{ width: 180 }} />
          </Form.Item>
          <Form.Item label={t('audit.action')} name="action">
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 240 }}
              aria-label={t('audit.action')}
              placeholder={t('audit.anyAction')}
              options={AUDIT_ACTIONS.map((a) => ({ value: a, label: `${label('auditActions', a)} · ${a}` }))}
            />
          </Form.Item>
          <Form.Item label={t('audit.target')} name="target">
            <Input allowClear style={{ width: 180 }} placeholder="customer:42" />
          </Form.Item>
          <Button htmlType="submit" type="primary">
            {t('common.search')}
          </Button>
        </Form>
      </Card>
      <ErrorAlert error={list.error} />
      <Card>
        <Table<AuditEntry>
          rowKey="seq"
          size="small"
          loading={list.loading}
          dataSource={list.data?.entries ?? []}
          pagination={false}
          scroll={{ x: 'max-content' }}
          expandable={{
            expandedRowRender: (e) => (
              <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap' }}>
                {JSON.stringify({ details: e.details, prevHash: e.prevHash, hash: e.hash }, null, 2)}
              </pre>
            ),
          }}
          columns={[
            { title: t('audit.seq'), dataIndex: 'seq' },
            { title: t('audit.at'), dataIndex: 'at', render: (v: string) => dateTime(v) },
            {
              title: t('audit.actor'),
              key: 'actor',
              render: (_: unknown, e) =>
                `${e.actor.id ?? '–'}${e.actor.role ? ` (${t(`roles.${e.actor.role}`)})` : ''}`,
            },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              render: (v: string) => (
                <Space size={4}>
                  <Tag>{label('auditActions', v)}</Tag>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {v}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('audit.target'),
              key: 'target',
              render: (_: unknown, e) => (e.target.type ? `${e.target.type}:${e.target.id ?? ''}` : '–'),
            },
            { title: t('audit.reason'), dataIndex: 'reason', render: (v: string | null) => v ?? '–' },
            {
              title: t('audit.hash'),
              dataIndex: 'hash',
              render: (v: string) => <Typography.Text code>{v.slice(0, 10)}</Typography.Text>,
            },
          ]}
        />
        <Space style={{ marginTop: 12 }}>
          <Button disabled={before.length === 0} onClick={() => setBefore((b) => b.slice(0, -1))}>
            {t('common.newer')}
          </Button>
          <Button
            disabled={!list.data?.nextBefore}
            onClick={() => {
              const n = list.data?.nextBefore;
              if (n) setBefore((b) => [...b, n]);
            }}
          >
            {t('common.older')}
          </Button>
        </Space>
      </Card>
    </Page>
  );
}
