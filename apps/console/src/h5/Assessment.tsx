import {
  type H5AssessmentResult,
  type H5AssessmentView,
  h5AssessmentResult,
  h5AssessmentView,
} from '@lingxi/contracts/console-h5';
import { Alert, Button, Card, Progress, Result, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, toError, withQuery } from '../api/client.ts';
import { ErrorAlert } from '../components/Page.tsx';
import { bi, dateTime, setDisplayTimezone } from '../format.ts';
import { useApi, usePageTitle } from '../hooks.ts';
import { H5Frame } from './H5App.tsx';

const levelColors: Record<string, string> = {
  C1: '#52c41a',
  C2: '#13c2c2',
  C3: '#1677ff',
  C4: '#fa8c16',
  C5: '#cf1322',
};

/** Light, neutral encouragement after each answer: there is no right or wrong answer in a risk assessment. */
const cheers = ['h5.cheer1', 'h5.cheer2', 'h5.cheer3', 'h5.cheer4'];

function ResultCard({ r }: { r: H5AssessmentResult }) {
  const { t } = useTranslation();
  return (
    <Card style={{ borderRadius: 16 }} data-testid="assessment-result">
      <Space orientation="vertical" size={12} style={{ width: '100%', textAlign: 'center' }}>
        <Typography.Text type="secondary">{t('h5.resultTitle')}</Typography.Text>
        <div
          style={{
            margin: '0 auto',
            width: 112,
            height: 112,
            borderRadius: '50%',
            display: 'grid',
            placeItems: 'center',
            background: levelColors[r.level] ?? '#b8321f',
            color: '#fff',
            fontSize: 36,
            fontWeight: 700,
          }}
          data-testid="assessment-level"
        >
          {r.level}
        </div>
        <Typography.Title level={2} style={{ margin: 0, fontSize: 22 }}>
          {bi(r.name)}
        </Typography.Title>
        <Typography.Paragraph style={{ textAlign: 'left' }}>{bi(r.description)}</Typography.Paragraph>
        {r.appliedCaps.length > 0 && (
          <Alert
            type="info"
            showIcon
            style={{ textAlign: 'left' }}
            title={t('h5.capped')}
            description={r.appliedCaps.map((c) => bi(c.reason)).join(' ')}
          />
        )}
        <div style={{ textAlign: 'left' }}>
          <Typography.Text strong>{t('h5.allowedProducts')}</Typography.Text>
          <div style={{ marginTop: 6 }}>
            {r.allowedProductRisks.map((p) => (
              <Tag key={p} color="red">
                {p}
              </Tag>
            ))}
          </div>
        </div>
        <Typography.Text type="secondary" style={{ textAlign: 'left' }}>
          {t('h5.validUntil', { date: dateTime(r.validUntil) })}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12, textAlign: 'left' }}>
          {t('h5.resultNote')}
        </Typography.Text>
      </Space>
    </Card>
  );
}

function Quest({ view, token }: { view: H5AssessmentView; token: string }) {
  const { t } = useTranslation();
  const qs = view.questionnaire.questions;
  const [started, setStarted] = useState(false);
  const [step, setStep] = useState(0);
  const [answers, setAnswers] = useState<Record<string, string>>({});
  const [cheer, setCheer] = useState<string>();
  const [result, setResult] = useState<H5AssessmentResult>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const q = qs[step];
  const done = Object.keys(answers).length;
  const allAnswered = qs.every((x) => answers[x.id]);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(
        await api('POST', '/api/v1/h5/assessment', h5AssessmentResult, {
          t: token,
          questionnaireVersion: view.questionnaire.version,
          answers,
        }),
      );
    } catch (e) {
      setError(toError(e));
    } finally {
      setBusy(false);
    }
  };

  if (result) return <ResultCard r={result} />;

  if (!started) {
    return (
      <Card style={{ borderRadius: 16 }}>
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Typography.Title level={1} style={{ fontSize: 22, margin: 0 }}>
            {t('h5.assessmentTitle')}
          </Typography.Title>
          <Typography.Text>{t('h5.hello', { name: view.customer.nameMasked })}</Typography.Text>
          <Typography.Paragraph type="secondary">{t('h5.intro', { n: qs.length })}</Typography.Paragraph>
          {view.currentLevel && (
            <Typography.Text type="secondary">{t('h5.currentLevel', { level: view.currentLevel })}</Typography.Text>
          )}
          <Button type="primary" size="large" block onClick={() => setStarted(true)} data-testid="start-assessment">
            {t('h5.start')}
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('h5.linkExpires', { date: dateTime(view.expiresAt) })}
          </Typography.Text>
        </Space>
      </Card>
    );
  }

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <div>
        <div style={{ display: 'flex', justifyContent: 'space-between', fontSize: 13 }}>
          <span>{t('h5.level', { n: step + 1, total: qs.length })}</span>
          <span aria-hidden="true">
            {'★'.repeat(done)}
            {'☆'.repeat(Math.max(0, qs.length - done))}
          </span>
        </div>
        <Progress
          percent={Math.round((done / qs.length) * 100)}
          showInfo={false}
          strokeColor="#b8321f"
          aria-label={t('h5.progress')}
        />
      </div>
      {cheer && (
        <div aria-live="polite" style={{ textAlign: 'center', color: '#b8321f', fontWeight: 600 }} data-testid="cheer">
          {t(cheer)}
        </div>
      )}
      {q && (
        <Card style={{ borderRadius: 16 }} data-testid="question">
          <fieldset style={{ border: 0, margin: 0, padding: 0 }}>
            <legend style={{ fontSize: 17, fontWeight: 600, marginBottom: 12, lineHeight: 1.5 }}>{bi(q.text)}</legend>
            <Space orientation="vertical" style={{ width: '100%' }} size={10}>
              {q.options.map((o) => {
                const picked = answers[q.id] === o.id;
                return (
                  <Button
                    key={o.id}
                    block
                    size="large"
                    type={picked ? 'primary' : 'default'}
                    aria-pressed={picked}
                    style={{
                      height: 'auto',
                      minHeight: 48,
                      whiteSpace: 'normal',
                      textAlign: 'left',
                      justifyContent: 'flex-start',
                    }}
                    onClick={() => {
                      setAnswers((a) => ({ ...a, [q.id]: o.id }));
                      setCheer(cheers[step % cheers.length]);
                      if (step < qs.length - 1) setTimeout(() => setStep((s) => Math.min(s + 1, qs.length - 1)), 350);
                    }}
                  >
                    {bi(o.label)}
                  </Button>
                );
              })}
            </Space>
          </fieldset>
        </Card>
      )}
      <ErrorAlert error={error} />
      <div style={{ display: 'flex', gap: 12 }}>
        <Button block disabled={step === 0} onClick={() => setStep((s) => Math.max(0, s - 1))}>
          {t('h5.back')}
        </Button>
        {step < qs.length - 1 ? (
          <Button block disabled={!q || !answers[q.id]} onClick={() => setStep((s) => s + 1)}>
            {t('h5.next')}
          </Button>
        ) : (
          <Button type="primary" block disabled={!allAnswered} loading={busy} onClick={submit} data-testid="finish">
            {t('h5.finish')}
          </Button>
        )}
      </div>
    </Space>
  );
}

export function AssessmentPage({ token }: { token: string }) {
  const { t } = useTranslation();
  usePageTitle('h5.assessmentTitle');
  const view = useApi(
    async () => {
      const v = await api('GET', withQuery('/api/v1/h5/assessment', { t: token }), h5AssessmentView);
      setDisplayTimezone(v.timezone); // the bank's zone, before anything renders a time
      return v;
    },
    [token],
    token.length > 0,
  );
  return (
    <H5Frame>
      {!token && <Result status="warning" title={t('h5.noToken')} />}
      {view.error && <Result status="warning" title={t('h5.linkInvalid')} subTitle={view.error.message} />}
      {view.loading && <Card loading style={{ borderRadius: 16 }} />}
      {view.data && <Quest view={view.data} token={token} />}
    </H5Frame>
  );
}
