import { exportApprovalPayload } from '@lingxi/contracts/audiences';
import { type ApprovalView, approvalList, approvalView } from '@lingxi/contracts/console-compliance';
import { Button, Card, Descriptions, Input, Modal, Popconfirm, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, toError, withQuery } from '../api/client.ts';
import { useAuth } from '../auth.tsx';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { dateTime, int, label } from '../format.ts';
import { useApi } from '../hooks.ts';

type Status = 'pending' | 'approved' | 'rejected' | 'all';

/** An export approval as the checker needs it (what leaves, how much, how sensitive, why); anything else as JSON. */
function ApprovalDetail({ a }: { a: ApprovalView }) {
  const { t } = useTranslation();
  const exp = a.kind === 'export' ? exportApprovalPayload.safeParse(a.payload).data : undefined;
  if (!exp)
    return <pre style={{ margin: 0, whiteSpace: 'pre-wrap', fontSize: 12 }}>{JSON.stringify(a.payload, null, 2)}</pre>;
  return (
    <Descriptions size="small" column={2} bordered data-testid={`approval-detail-${a.id}`}>
      <Descriptions.Item label={t('approvals.detail.audience')}>
        {exp.audienceName} <Typography.Text type="secondary">{exp.audienceId}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label={t('approvals.detail.purpose')}>{label('purposes', exp.purpose)}</Descriptions.Item>
      <Descriptions.Item label={t('approvals.detail.members')}>
        {exp.snapshot === null ? t('approvals.detail.live') : t('approvals.detail.snapshot', { id: exp.snapshot })}
        {' · '}
        {t('approvals.detail.asOf', { date: exp.asOf })}
      </Descriptions.Item>
      <Descriptions.Item label={t('approvals.detail.rows')}>
        {t(`approvals.detail.scope.${exp.scope}`, { rows: int(exp.rows), count: int(exp.count) })}
      </Descriptions.Item>
      <Descriptions.Item label={t('approvals.detail.columns')}>{exp.columns.join(', ')}</Descriptions.Item>
      <Descriptions.Item label={t('approvals.detail.level')}>
        {t('approvals.detail.levelValue', { level: exp.level })}
      </Descriptions.Item>
      <Descriptions.Item label={t('approvals.detail.reason')} span={2}>
        {exp.reason}
      </Descriptions.Item>
      {a.usedAt && (
        <Descriptions.Item label={t('approvals.detail.used')} span={2}>
          {t('approvals.detail.usedValue', { at: dateTime(a.usedAt), by: a.usedBy ?? '–' })}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}

export function ApprovalsPage() {
  const { t } = useTranslation();
  const { can, session } = useAuth();
  const [status, setStatus] = useState<Status>('pending');
  // checkers see the whole queue, makers their own submissions
  const path = can('approvals.approve') ? '/api/v1/approvals' : '/api/v1/approvals/mine';
  const list = useApi(
    () => api('GET', withQuery(path, { status: status === 'all' ? undefined : status }), approvalList),
    [status, path],
  );
  const [deciding, setDeciding] = useState<{ a: ApprovalView; decision: 'approve' | 'reject' }>();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<Error>();
  const checker = can('approvals.approve');

  const decide = async () => {
    if (!deciding) return;
    setError(undefined);
    try {
      await api('POST', `/api/v1/approvals/${deciding.a.id}/decision`, approvalView, {
        decision: deciding.decision,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      setDeciding(undefined);
      setComment('');
      list.reload();
    } catch (e) {
      setError(toError(e));
    }
  };

  const withdraw = async (a: ApprovalView) => {
    setError(undefined);
    try {
      await api('POST', `/api/v1/approvals/${a.id}/withdraw`, approvalView);
      list.reload();
    } catch (e) {
      setError(toError(e));
    }
  };

  return (
    <Page
      title="nav.approvals"
      extra={
        <Segmented<Status>
          aria-label={t('approvals.filter')}
          value={status}
          onChange={setStatus}
          options={(['pending', 'approved', 'rejected', 'all'] as const).map((s) => ({
            value: s,
            label: t(`approvals.status.${s}`),
          }))}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t('approvals.intro')}</Typography.Paragraph>
      <ErrorAlert error={list.error ?? error} />
      <Card>
        <Table<ApprovalView>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={list.data?.approvals ?? []}
          expandable={{ expandedRowRender: (a) => <ApprovalDetail a={a} /> }}
          columns={[
            {
              title: t('approvals.kind'),
              dataIndex: 'kind',
              render: (v: string) => <Tag>{label('approvalKinds', v)}</Tag>,
            },
            { title: t('approvals.title'), dataIndex: 'title' },
            { title: t('approvals.maker'), dataIndex: 'submittedBy' },
            { title: t('approvals.submittedAt'), dataIndex: 'submittedAt', render: (v: string) => dateTime(v) },
            {
              title: t('approvals.state'),
              dataIndex: 'status',
              render: (v: string, a: ApprovalView) => (
                <>
                  <Tag color={v === 'approved' ? 'green' : v === 'rejected' ? 'red' : 'gold'}>
                    {t(`approvals.status.${v}`, { defaultValue: v })}
                  </Tag>
                  {a.usedAt && <Tag>{t('approvals.detail.used')}</Tag>}
                </>
              ),
            },
            { title: t('approvals.checker'), dataIndex: 'decidedBy', render: (v: string | null) => v ?? '–' },
            ...(checker
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, a: ApprovalView) =>
                      a.status !== 'pending' ? null : a.submittedBy === session?.user.id ||
                        a.submittedBy === session?.user.username ? (
                        <Typography.Text type="secondary">{t('approvals.ownSubmission')}</Typography.Text>
                      ) : (
                        <Space>
                          <Button size="small" type="primary" onClick={() => setDeciding({ a, decision: 'approve' })}>
                            {t('approvals.approve')}
                          </Button>
                          <Button size="small" danger onClick={() => setDeciding({ a, decision: 'reject' })}>
                            {t('approvals.reject')}
                          </Button>
                        </Space>
                      ),
                  },
                ]
              : [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, a: ApprovalView) =>
                      a.status === 'pending' ? (
                        <Popconfirm
                          title={t('approvals.confirmWithdraw', { title: a.title })}
                          okText={t('approvals.withdraw')}
                          cancelText={t('common.cancel')}
                          onConfirm={() => withdraw(a)}
                        >
                          <Button size="small">{t('approvals.withdraw')}</Button>
                        </Popconfirm>
                      ) : null,
                  },
                ]),
          ]}
        />
      </Card>
      <Modal
        open={deciding !== undefined}
        title={deciding ? t(`approvals.confirm.${deciding.decision}`, { title: deciding.a.title }) : ''}
        onCancel={() => setDeciding(undefined)}
        onOk={decide}
        okText={t('common.submit')}
        cancelText={t('common.cancel')}
      >
        <label htmlFor="approval-comment">{t('approvals.comment')}</label>
        <Input.TextArea id="approval-comment" rows={3} value={comment} onChange={(e) => setComment(e.target.value)} />
      </Modal>
    </Page>
  );
}
