/**
 * Compliance checker for Chinese retail-banking marketing copy (rulebook `domain/regulation.md`, rules M1–M12).
 *
 * `checkCopy` is pure: same input, same findings. Every finding cites its rule id, the UTF-16 span it refers to
 * (an empty span marks where missing wording should go), and a bilingual message and concrete fix.
 * `ok` is false exactly when there is at least one finding of severity `error`; warnings need a compliance
 * officer's judgement (e.g. an M5 word that is objectively true and evidenced) and do not block.
 *
 * Design notes (see also the lexicon for the word lists and false-positive guards):
 * - Negation: promise words are ignored when negated within their clause ("本产品不保本", "不保证收益",
 *   "理财非存款"), asked about ("是保本的吗？"), or quoted in an anti-fraud warning ("谨防…骗局"). Negators are
 *   matched on jieba tokens, so "非常"/"不仅"/"未来" do not count as negations.
 * - Deposits (M4): 保本 is factually true for deposits, so principal-protection words are allowed for
 *   productType `deposit` only together with the legal wording — a deposit-insurance statement ("存款保险"), plus
 *   for structured deposits "结构性存款不同于一般性存款". Yield promises (稳赚, 零风险, 保收益…) stay errors.
 * - M5 applies to wealth and fund copy only; M5 words inside a longer M4/M8 hit are reported once, by M4/M8.
 *   A word on both the M5 list and an M6 superlative (最好, 唯一) is reported under both rules.
 * - M6 uses jieba word boundaries: 最近/最新/最后 (time) never count; 最高/最低/最多/最快… count only when no
 *   quantity follows (最低1元起购, 最高可借30万 are bounds, not claims); 第一步/第一次/第一季度 are ordinals.
 * - M7 is mainly a process rule enforced by maker–checker approval before sending. The checker reports it when
 *   `options.origin` says the text is staff-composed, when `options.forSend` is set for a non-approved text, and
 *   for two textual M7 breaches: non-deposit products described as deposits/interest (swapped concepts) and
 *   loan/card pricing given as a daily/monthly rate without the annualised rate (misleading data).
 * - M12 (signature + opt-out) applies to SMS; opt-out also to e-mail. Push and WeChat rely on platform
 *   subscription settings and are not checked here.
 */
import { z } from 'zod';
import {
  analyse,
  detectM1,
  detectM2,
  detectM3,
  detectM4,
  detectM5,
  detectM6,
  detectM7,
  detectM8,
  detectM9,
  detectM10,
  detectM11,
  detectM12,
  endorsementHits,
  guaranteeHits,
} from './copy/detectors.ts';
import * as L from './copy/lexicon.ts';

export const PRODUCT_TYPES = ['wealth', 'fund', 'insurance', 'deposit', 'loan', 'card', 'other'] as const;
export const CHANNELS = ['sms', 'push', 'wechat', 'email', 'banner', 'call_script'] as const;
export const COPY_RULE_IDS = ['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7', 'M8', 'M9', 'M10', 'M11', 'M12'] as const;
/** Where the text comes from (M7): only approved template versions may be sent. */
export const CONTENT_ORIGINS = ['approved_template', 'template_draft', 'staff_composed'] as const;

export type ProductType = (typeof PRODUCT_TYPES)[number];
export type Channel = (typeof CHANNELS)[number];
export type CopyRuleId = (typeof COPY_RULE_IDS)[number];
export type ContentOrigin = (typeof CONTENT_ORIGINS)[number];
export type Severity = 'error' | 'warning';

export interface Finding {
  readonly ruleId: CopyRuleId;
  readonly severity: Severity;
  /** UTF-16 offsets into the checked text; `start === end` marks where missing wording belongs. */
  readonly span: { readonly start: number; readonly end: number };
  readonly matched: string;
  readonly message: { readonly zh: string; readonly en: string };
  readonly suggestion: { readonly zh: string; readonly en: string };
}

export interface CopyCheckResult {
  /** False when any finding has severity `error`. */
  readonly ok: boolean;
  readonly findings: readonly Finding[];
}

export const DEFAULT_ALLOWED_DOMAINS: readonly string[] = ['example-bank.cn'];

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((d) => d.replace(/^\*?\./, ''))
  .pipe(
    z
      .string()
      .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}$/, 'must be a domain name like example-bank.cn'),
  );

export const copyCheckOptionsSchema = z
  .object({
    /** Bank domains that links may point to (subdomains included). Default: example-bank.cn. */
    allowedDomains: z.array(domainSchema).min(1).optional(),
    /** M7: provenance of the text. Default `template_draft` (checking a draft before approval). */
    origin: z.enum(CONTENT_ORIGINS).optional(),
    /** M7: the text is about to be sent; anything but an approved template version is then an error. */
    forSend: z.boolean().optional(),
    /** Rules switched off by the bank's compliance settings (audited elsewhere). */
    disabledRules: z.array(z.enum(COPY_RULE_IDS)).optional(),
  })
  .strict();

export const copyCheckInputSchema = z
  .object({
    text: z.string().min(1, 'must not be empty').max(20_000, 'must be at most 20000 characters'),
    productType: z.enum(PRODUCT_TYPES),
    channel: z.enum(CHANNELS),
    options: copyCheckOptionsSchema.optional(),
  })
  .strict();

export type CopyCheckOptions = z.input<typeof copyCheckOptionsSchema>;
export type CopyCheckInput = z.input<typeof copyCheckInputSchema>;

export interface ResolvedCopyCheckOptions {
  readonly allowedDomains: readonly string[];
  readonly origin: ContentOrigin;
  readonly forSend: boolean;
  readonly disabledRules: ReadonlySet<CopyRuleId>;
}

/** Thrown for invalid input; the message names each offending field and the reason. */
export class CopyCheckInputError extends Error {
  readonly issues: readonly { readonly field: string; readonly reason: string }[];

  constructor(issues: readonly { field: string; reason: string }[]) {
    super(`invalid copy-check input: ${issues.map((i) => `${i.field}: ${i.reason}`).join('; ')}`);
    this.name = 'CopyCheckInputError';
    this.issues = issues;
  }
}

/** Formats zod issues as `field: reason` pairs (shared with the CLI). */
export function describeZodIssues(error: z.ZodError): { field: string; reason: string }[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(input)',
    reason: issue.message,
  }));
}

/** Checks one marketing copy against rules M1–M12. Throws `CopyCheckInputError` on invalid input. */
export function checkCopy(input: CopyCheckInput): CopyCheckResult {
  const parsed = copyCheckInputSchema.safeParse(input);
  if (!parsed.success) throw new CopyCheckInputError(describeZodIssues(parsed.error));
  const { text, productType, channel } = parsed.data;
  const opts = parsed.data.options ?? {};
  const options: ResolvedCopyCheckOptions = {
    allowedDomains: opts.allowedDomains ?? DEFAULT_ALLOWED_DOMAINS,
    origin: opts.origin ?? 'template_draft',
    forSend: opts.forSend ?? false,
    disabledRules: new Set(opts.disabledRules ?? []),
  };

  const ctx = analyse(text, productType, channel, options);
  const guarantees = guaranteeHits(ctx);
  const endorsements = endorsementHits(ctx);
  const all: Finding[] = [
    ...detectM1(ctx),
    ...detectM2(ctx),
    ...detectM3(ctx),
    ...detectM4(ctx, guarantees),
    ...detectM5(ctx, [...guarantees, ...endorsements]),
    ...detectM6(ctx),
    ...detectM7(ctx),
    ...detectM8(endorsements),
    ...detectM9(ctx),
    ...detectM10(ctx),
    ...detectM11(ctx),
    ...detectM12(ctx),
  ];
  const findings = all
    .filter((f) => !options.disabledRules.has(f.ruleId))
    .sort(
      (a, b) =>
        a.span.start - b.span.start ||
        COPY_RULE_IDS.indexOf(a.ruleId) - COPY_RULE_IDS.indexOf(b.ruleId) ||
        a.span.end - b.span.end,
    );
  return { ok: !findings.some((f) => f.severity === 'error'), findings };
}

/**
 * M7 helper for senders: only an approved template version may be sent, and maker–checker requires that the
 * approver is not the author. The approval workflow itself lives in the content module.
 */
export function isSendableVersion(version: {
  readonly status: string;
  readonly authorId: string;
  readonly approvedBy?: string | null;
}): boolean {
  return (
    version.status === 'approved' &&
    typeof version.approvedBy === 'string' &&
    version.approvedBy.length > 0 &&
    version.approvedBy !== version.authorId
  );
}

export interface OptOutKeyword {
  /** The keyword as recognised, upper-cased for Latin codes (e.g. "TD", "退订"). */
  readonly keyword: string;
  /** `code`: the whole reply is an opt-out code; `phrase`: the reply contains an opt-out request. */
  readonly kind: 'code' | 'phrase';
}

const inboundSchema = z.string().max(2_000);

/**
 * Recognises an inbound SMS reply that withdraws SMS marketing consent (M12): the codes TD/T/R/N/BK/0000/退订
 * in any case, width or quoting ("td", "ＴＤ", "“退订”"), and phrases such as "请退订" or "不要再发了".
 * Returns null for anything else, including negated requests ("我不退订"). Throws a ZodError when the input is
 * not a string of at most 2000 characters.
 */
export function detectOptOutKeyword(inboundSmsText: string): OptOutKeyword | null {
  const text = inboundSchema.parse(inboundSmsText).normalize('NFKC');
  const code = text.replace(/[\s\p{P}\p{S}]/gu, '').toUpperCase();
  if (code.length === 0) return null;
  if (L.OPT_OUT_CODES.has(code)) return { keyword: code, kind: 'code' };
  if (L.OPT_OUT_NEGATED.test(code)) return null;
  const phrase = code.match(L.OPT_OUT_PHRASE);
  if (phrase !== null) return { keyword: phrase[0], kind: 'phrase' };
  return null;
}
