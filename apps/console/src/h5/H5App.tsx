import { Result, Select } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../hooks.ts';
import { type Language, languages, setLanguage } from '../i18n/index.ts';
import { AssessmentPage } from './Assessment.tsx';
import { PreferencesPage } from './Preferences.tsx';

/** The mobile frame every H5 page shares: a narrow column, brand bar and language switch. */
export function H5Frame({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  return (
    <div style={{ minHeight: '100vh', background: 'linear-gradient(180deg, #fff1ec 0%, #f7f7f7 40%)' }}>
      <div style={{ maxWidth: 480, margin: '0 auto', padding: '12px 16px 32px' }}>
        <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 12 }}>
          <span style={{ color: '#b8321f', fontWeight: 700, fontSize: 18 }}>{t('app.name')}</span>
          <Select<Language>
            aria-label={t('app.language')}
            size="small"
            value={i18n.language === 'en' ? 'en' : 'zh-CN'}
            onChange={setLanguage}
            style={{ width: 100 }}
            options={languages.map((l) => ({ value: l, label: t(`app.languages.${l}`) }))}
          />
        </header>
        <main>{children}</main>
      </div>
    </div>
  );
}

function NotFound() {
  const { t } = useTranslation();
  usePageTitle('h5.title');
  return (
    <H5Frame>
      <Result status="404" title={t('common.notFound')} />
    </H5Frame>
  );
}

/** The customer H5 pages: `/h5/assessment?t=…` and `/h5/preferences?t=…` (identity by a signed one-time link). */
export function H5App() {
  const path = window.location.pathname.replace(/\/+$/, '');
  const token = new URLSearchParams(window.location.search).get('t') ?? '';
  if (path === '/h5/assessment') return <AssessmentPage token={token} />;
  if (path === '/h5/preferences') return <PreferencesPage token={token} />;
  return <NotFound />;
}
