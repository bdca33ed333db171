import { branchList, type UserView, userList, userWithPassword } from '@lingxi/contracts/console-auth';
import { Alert, App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, toError } from '../api/client.ts';
import { useAuth } from '../auth.tsx';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { dateTime } from '../format.ts';
import { useApi } from '../hooks.ts';

export const roleNames = ['admin', 'marketer', 'rm', 'compliance', 'analyst', 'executive'] as const;

interface NewUser {
  username: string;
  displayName?: string;
  role: (typeof roleNames)[number];
  branchId?: string;
  password?: string;
}

export function AdminUsersPage() {
  const { t } = useTranslation();
  const { modal } = App.useApp();
  const { can, session } = useAuth();
  const [role, setRole] = useState<string>();
  const users = useApi(() => api('GET', role ? `/api/v1/users?role=${role}` : '/api/v1/users', userList), [role]);
  const branches = useApi(() => api('GET', '/api/v1/branches', branchList), [], can('branches.read'));
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<NewUser>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const writable = can('users.write');

  const showPassword = (username: string, password: string | undefined) => {
    if (!password) return;
    modal.info({
      title: t('users.generatedTitle', { username }),
      content: (
        <Space orientation="vertical">
          <Typography.Text>{t('users.generatedOnce')}</Typography.Text>
          <Typography.Text code copyable data-testid="generated-password">
            {password}
          </Typography.Text>
        </Space>
      ),
    });
  };

  const patch = async (u: UserView, body: Record<string, unknown>) => {
    setError(undefined);
    try {
      const r = await api('PATCH', `/api/v1/users/${encodeURIComponent(u.id)}`, userWithPassword, body);
      showPassword(u.username, r.generatedPassword);
      users.reload();
    } catch (e) {
      setError(toError(e));
    }
  };

  const create = async (v: NewUser) => {
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        username: v.username,
        role: v.role,
        ...(v.displayName ? { displayName: v.displayName } : {}),
        branchId: v.branchId ?? null,
        ...(v.password ? { password: v.password } : {}),
      };
      const r = await api('POST', '/api/v1/users', userWithPassword, body);
      setCreating(false);
      form.resetFields();
      showPassword(r.user.username, r.generatedPassword);
      users.reload();
    } catch (e) {
      setError(toError(e));
    } finally {
      setBusy(false);
    }
  };

  const branchOptions = [
    { value: '', label: t('users.bankWide') },
    ...(branches.data?.branches ?? []).map((b) => ({ value: b.id, label: `${b.id} · ${b.nameZh}` })),
  ];
  const roleOptions = roleNames.map((r) => ({ value: r, label: t(`roles.${r}`) }));

  return (
    <Page
      title="nav.users"
      extra={
        <Space>
          <Select
            aria-label={t('users.filterRole')}
            placeholder={t('users.filterRole')}
            allowClear
            style={{ width: 160 }}
            value={role}
            onChange={setRole}
            options={roleOptions}
          />
          {writable && (
            <Button type="primary" onClick={() => setCreating(true)}>
              {t('users.create')}
            </Button>
          )}
        </Space>
      }
    >
      <ErrorAlert error={users.error ?? error} />
      <Card>
        <Table<UserView>
          rowKey="id"
          size="small"
          loading={users.loading}
          dataSource={users.data?.users ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: t('users.username'), dataIndex: 'username' },
            { title: t('users.displayName'), dataIndex: 'displayName' },
            {
              title: t('users.role'),
              dataIndex: 'role',
              render: (r: string, u) =>
                writable && u.id !== session?.user.id ? (
                  <Select
                    aria-label={t('users.roleOf', { username: u.username })}
                    size="small"
                    value={r}
                    style={{ width: 130 }}
                    options={roleOptions}
                    onChange={(nr) => void patch(u, { role: nr })}
                  />
                ) : (
                  t(`roles.${r}`)
                ),
            },
            {
              title: t('users.branch'),
              dataIndex: 'branchId',
              render: (b: string | null, u) =>
                writable && u.id !== session?.user.id ? (
                  <Select
                    aria-label={t('users.branchOf', { username: u.username })}
                    size="small"
                    value={b ?? ''}
                    style={{ width: 180 }}
                    options={branchOptions}
                    popupMatchSelectWidth={false}
                    onChange={(nb: string) => void patch(u, { branchId: nb || null })}
                  />
                ) : (
                  (b ?? t('users.bankWide'))
                ),
            },
            {
              title: t('users.state'),
              key: 'state',
              render: (_: unknown, u) => (
                <Space size={4}>
                  {u.disabled && <Tag color="default">{t('users.disabled')}</Tag>}
                  {u.lockedUntil && new Date(u.lockedUntil) > new Date() && (
                    <Tag color="red">{t('users.lockedUntil', { at: dateTime(u.lockedUntil) })}</Tag>
                  )}
                  {!u.disabled && !u.lockedUntil && <Tag color="green">{t('users.active')}</Tag>}
                </Space>
              ),
            },
            { title: t('users.created'), dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
            ...(writable
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    render: (_: unknown, u: UserView) =>
                      u.id === session?.user.id ? null : (
                        <Space size={0} wrap>
                          <Button size="small" type="link" onClick={() => void patch(u, { disabled: !u.disabled })}>
                            {u.disabled ? t('users.enable') : t('users.disable')}
                          </Button>
                          {u.lockedUntil && (
                            <Button size="small" type="link" onClick={() => void patch(u, { unlock: true })}>
                              {t('users.unlock')}
                            </Button>
                          )}
                          <Button
                            size="small"
                            type="link"
                            onClick={() =>
                              modal.confirm({
                                title: t('users.resetConfirm', { username: u.username }),
                                onOk: () => patch(u, { resetPassword: true }),
                              })
                            }
                          >
                            {t('users.resetPassword')}
                          </Button>
                        </Space>
                      ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      <Modal
        open={creating}
        title={t('users.create')}
        onCancel={() => setCreating(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        {error && <Alert type="error" title={error.message} style={{ marginBottom: 12 }} />}
        <Form<NewUser>
          form={form}
          layout="vertical"
          onFinish={create}
          initialValues={{ role: 'marketer', branchId: '' }}
        >
          <Form.Item
            label={t('users.username')}
            name="username"
            rules={[{ required: true, pattern: /^[a-z0-9][a-z0-9._-]{2,62}$/, message: t('users.usernameRule') }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item label={t('users.displayName')} name="displayName">
            <Input />
          </Form.Item>
          <Form.Item label={t('users.role')} name="role" rules={[{ required: true }]}>
            <Select options={roleOptions} />
          </Form.Item>
          <Form.Item label={t('users.branch')} name="branchId">
            <Select options={branchOptions} />
          </Form.Item>
          <Form.Item label={t('users.password')} name="password" extra={t('users.passwordHelp')}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </Page>
  );
}
