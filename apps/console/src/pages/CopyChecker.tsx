import { type CopyCheckResponse, copyCheckRequest, copyCheckResponse } from '@lingxi/contracts/copy-check';
import { Alert, Button, Card, Col, Form, Input, Row, Select, Space, Tag, Typography } from 'antd';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { api, toError } from '../api/client.ts';
import { ErrorAlert, Page } from '../components/Page.tsx';
import { Rows } from '../components/Rows.tsx';
import { bi } from '../format.ts';

type CheckForm = z.infer<typeof copyCheckRequest>;
type Finding = CopyCheckResponse['findings'][number];

const productTypes = copyCheckRequest.shape.productType.options;
const channels = copyCheckRequest.shape.channel.options;

/**
 * The text with each finding's span highlighted (`<mark>`, colour by severity); an empty span (missing wording) shows
 * an insertion marker. Overlapping spans are split at every boundary so each piece lists all findings covering it.
 */
export function HighlightedText({
  text,
  findings,
  active,
  onPick,
}: {
  text: string;
  findings: Finding[];
  active: number | undefined;
  onPick: (i: number) => void;
}) {
  const { t } = useTranslation();
  const cuts = new Set<number>([0, text.length]);
  for (const f of findings) {
    cuts.add(Math.max(0, Math.min(text.length, f.span.start)));
    cuts.add(Math.max(0, Math.min(text.length, f.span.end)));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const inserts = (at: number) =>
    findings.map((f, i) => ({ f, i })).filter(({ f }) => f.span.start === f.span.end && f.span.start === at);
  const pieces: React.ReactNode[] = [];
  points.forEach((p, k) => {
    for (const { f, i } of inserts(p)) {
      pieces.push(
        <button
          type="button"
          key={`ins-${i}`}
          className={`lx-insert ${f.severity}${active === i ? ' active' : ''}`}
          data-rule={f.ruleId}
          title={`${f.ruleId}: ${bi(f.message)}`}
          aria-label={t('checker.missingAt', { rule: f.ruleId })}
          onClick={() => onPick(i)}
        >
          {f.ruleId}
        </button>,
      );
    }
    const next = points[k + 1];
    if (next === undefined || next === p) return;
    const covering = findings
      .map((f, i) => ({ f, i }))
      .filter(({ f }) => f.span.start < f.span.end && f.span.start <= p && f.span.end >= next);
    const piece = text.slice(p, next);
    if (!covering.length) {
      pieces.push(<Fragment key={`t-${p}`}>{piece}</Fragment>);
      return;
    }
    const severity = covering.some(({ f }) => f.severity === 'error') ? 'error' : 'warning';
    const first = covering[0]!;
    pieces.push(
      <mark
        key={`m-${p}`}
        className={`lx-mark ${severity}${covering.some(({ i }) => i === active) ? ' active' : ''}`}
        data-rule={covering.map(({ f }) => f.ruleId).join(' ')}
        title={covering.map(({ f }) => `${f.ruleId}: ${bi(f.message)}`).join('\n')}
        onClick={() => onPick(first.i)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') onPick(first.i);
        }}
      >
        {piece}
      </mark>,
    );
  });
  return (
    <div className="lx-highlight" data-testid="highlighted-copy" style={{ whiteSpace: 'pre-wrap', lineHeight: 2 }}>
      {pieces}
    </div>
  );
}

export function CopyCheckerPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<CheckForm>();
  const [result, setResult] = useState<{ text: string; r: CopyCheckResponse }>();
  const [error, setError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const [active, setActive] = useState<number>();

  const run = async (v: CheckForm) => {
    setBusy(true);
    setError(undefined);
    setActive(undefined);
    try {
      const r = await api('POST', '/api/v1/compliance/check-copy', copyCheckResponse, v);
      setResult({ text: v.text, r });
    } catch (e) {
      setError(toError(e));
    } finally {
      setBusy(false);
    }
  };

  const errors = result?.r.findings.filter((f) => f.severity === 'error').length ?? 0;
  const warnings = (result?.r.findings.length ?? 0) - errors;

  return (
    <Page title="nav.checker">
      <Typography.Paragraph type="secondary">{t('checker.intro')}</Typography.Paragraph>
      <Row gutter={16}>
        <Col xs={24} lg={11}>
          <Card title={t('checker.input')}>
            <Form<CheckForm>
              form={form}
              layout="vertical"
              onFinish={run}
              initialValues={{ productType: 'wealth', channel: 'sms', text: '' }}
            >
              <Form.Item
                label={t('checker.text')}
                name="text"
                rules={[{ required: true, message: t('checker.textRequired') }]}
              >
                <Input.TextArea rows={8} maxLength={20000} showCount />
              </Form.Item>
              <Space wrap>
                <Form.Item label={t('checker.productType')} name="productType">
                  <Select
                    style={{ width: 160 }}
                    options={productTypes.map((p) => ({ value: p, label: t(`productTypes.${p}`) }))}
                  />
                </Form.Item>
                <Form.Item label={t('checker.channel')} name="channel">
                  <Select
                    style={{ width: 160 }}
                    options={channels.map((c) => ({ value: c, label: t(`channels.${c}`) }))}
                  />
                </Form.Item>
              </Space>
              <Space>
                <Button type="primary" htmlType="submit" loading={busy}>
                  {t('checker.run')}
                </Button>
                <Button onClick={() => form.setFieldsValue({ text: t('checker.sample') })}>
                  {t('checker.loadSample')}
                </Button>
              </Space>
            </Form>
          </Card>
        </Col>
        <Col xs={24} lg={13}>
          <Card title={t('checker.result')}>
            <ErrorAlert error={error} />
            {!result && !error && <Typography.Text type="secondary">{t('checker.empty')}</Typography.Text>}
            {result && (
              <>
                <Alert
                  type={result.r.ok ? (warnings ? 'warning' : 'success') : 'error'}
                  showIcon
                  data-testid="checker-verdict"
                  title={result.r.ok ? t('checker.passed') : t('checker.failed')}
                  description={t('checker.summary', {
                    errors,
                    warnings,
                    ms: result.r.elapsedMs.toFixed(1),
                  })}
                  style={{ marginBottom: 16 }}
                />
                <HighlightedText text={result.text} findings={result.r.findings} active={active} onPick={setActive} />
                <div style={{ marginTop: 16 }}>
                  <Rows
                    items={result.r.findings}
                    keyOf={(_f, i) => i}
                    active={(_f, i) => active === i}
                    render={(f, i) => (
                      <button
                        type="button"
                        className="lx-finding"
                        onClick={() => setActive(i)}
                        onFocus={() => setActive(i)}
                        onMouseEnter={() => setActive(i)}
                        data-testid="finding"
                      >
                        <Space>
                          <Tag color={f.severity === 'error' ? 'red' : 'orange'}>
                            {f.ruleId} · {t(`checker.severity.${f.severity}`)}
                          </Tag>
                          {f.matched && <Typography.Text code>{f.matched}</Typography.Text>}
                        </Space>
                        <div style={{ marginTop: 4 }}>{bi(f.message)}</div>
                        <Typography.Text type="secondary">
                          {t('checker.suggestion')}: {bi(f.suggestion)}
                        </Typography.Text>
                      </button>
                    )}
                  />
                </div>
              </>
            )}
          </Card>
        </Col>
      </Row>
    </Page>
  );
}
