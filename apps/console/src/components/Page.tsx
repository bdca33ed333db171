import { Alert, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.ts';
import { usePageTitle } from '../hooks.ts';

/** A page: sets the document title and renders the heading (h1) with optional actions on the right. */
export function Page({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  usePageTitle(title);
  return (
    <section>
      <div
        style={{
          display: 'flex',
          justifyContent: 'space-between',
          alignItems: 'center',
          marginBottom: 16,
          gap: 16,
          flexWrap: 'wrap',
        }}
      >
        <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
          {t(title)}
        </Typography.Title>
        {extra}
      </div>
      {children}
    </section>
  );
}

/** Explains an API error in the current language (404 and 403 get their own wording). */
export function ErrorAlert({ error }: { error: Error | undefined }) {
  const { t } = useTranslation();
  if (!error) return null;
  if (error instanceof ApiError && error.status === 404 && error.message.startsWith('no route')) {
    return (
      <Alert
        type="warning"
        showIcon
        title={t('common.apiPending')}
        description={error.message}
        style={{ marginBottom: 16 }}
      />
    );
  }
  let title = t('common.error', { message: error.message });
  if (error instanceof ApiError && error.status === 404) title = t('common.notFoundDetail', { message: error.message });
  if (error instanceof ApiError && error.status === 403) title = t('common.forbiddenDetail');
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={title}
      description={
        error instanceof ApiError && error.errors.length
          ? error.errors.map((e) => `${e.field}: ${e.reason}`).join('; ')
          : undefined
      }
      style={{ marginBottom: 16 }}
    />
  );
}
