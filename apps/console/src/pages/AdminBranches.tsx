import { type BranchView, branchList, branchView } from '@lingxi/contracts/console-auth';
import { Button, Card, Form, Input, Modal, Select, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, toError } from '../api/client.ts';
import { useAuth } from '../auth.tsx';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { dateTime } from '../format.ts';
import { useApi } from '../hooks.ts';

interface NewBranch {
  id: string;
  nameZh: string;
  nameEn: string;
  province: string;
  city: string;
  parentId?: string;
}

export function AdminBranchesPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAuth();
  const list = useApi(() => api('GET', '/api/v1/branches', branchList), []);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<NewBranch>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const branches = list.data?.branches ?? [];

  const create = async (v: NewBranch) => {
    setBusy(true);
    setError(undefined);
    try {
      await api('POST', '/api/v1/branches', branchView, { ...v, parentId: v.parentId || null });
      setOpen(false);
      form.resetFields();
      list.reload();
    } catch (e) {
      setError(toError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title="nav.branches"
      extra={
        can('branches.write') && (
          <Button type="primary" onClick={() => setOpen(true)}>
            {t('branches.create')}
          </Button>
        )
      }
    >
      <ErrorAlert error={list.error} />
      <Card>
        <Table<BranchView>
          rowKey="id"
          size="small"
          loading={list.loading}
          dataSource={branches}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('branches.id'), dataIndex: 'id' },
            {
              title: t('branches.name'),
              key: 'name',
              render: (_: unknown, b) => (i18n.language === 'en' ? b.nameEn : b.nameZh),
            },
            { title: t('branches.province'), dataIndex: 'province' },
            { title: t('branches.city'), dataIndex: 'city' },
            { title: t('branches.parent'), dataIndex: 'parentId', render: (v: string | null) => v ?? '–' },
            { title: t('users.created'), dataIndex: 'createdAt', render: (v: string) => dateTime(v) },
          ]}
        />
      </Card>
      <Modal
        open={open}
        title={t('branches.create')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={busy}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <ErrorAlert error={error} />
        <Form<NewBranch> form={form} layout="vertical" onFinish={create}>
          <Form.Item label={t('branches.id')} name="id" rules={[{ required: true, pattern: /^[A-Za-z0-9._-]+$/ }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('branches.nameZh')} name="nameZh" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('branches.nameEn')} name="nameEn" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('branches.province')} name="province" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('branches.city')} name="city" rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item label={t('branches.parent')} name="parentId">
            <Select
              allowClear
              options={branches.map((b) => ({
                value: b.id,
                label: `${b.id} · ${i18n.language === 'en' ? b.nameEn : b.nameZh}`,
              }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </Page>
  );
}
