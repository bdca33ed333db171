import { tagDistribution } from '@lingxi/contracts/console-tags';
import type { TagSummaryDto } from '@lingxi/contracts/tags';
import { Button, Input, InputNumber, Segmented, Select, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { bi, int, label } from '../format.ts';
import { tagValueLabel } from '../pages/Tags.tsx';
import { emptyGroup, emptyLeaf, type GroupNode, type LeafNode, type LeafOp, type Node, type Scalar } from './tree.ts';

export type TagIndex = Map<string, TagSummaryDto>;

const opsByType: Record<string, LeafOp[]> = {
  boolean: ['eq', 'is_null', 'not_null'],
  enum: ['eq', 'ne', 'in', 'not_in', 'is_null', 'not_null'],
  set: ['eq', 'in', 'ne', 'not_in', 'is_null', 'not_null'],
  number: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'between', 'is_null', 'not_null'],
  date: ['eq', 'gt', 'gte', 'lt', 'lte', 'between', 'is_null', 'not_null'],
};

const isFen = (s: TagSummaryDto | undefined) => s?.definition.unit === 'fen';

/** Value hints from the tag's distribution: counts per value for enums and sets, quantiles for numbers. */
function valueOptions(s: TagSummaryDto): { value: string; label: string }[] {
  const d = tagDistribution.safeParse(s.distribution);
  const counts = new Map(d.success && d.data.kind === 'top' ? d.data.values.map((v) => [v.value, v.count]) : []);
  const values = s.definition.values ?? [...counts.keys()];
  return values.map((v) => ({
    value: v,
    label: counts.has(v) ? `${tagValueLabel(v)} (${int(counts.get(v))})` : tagValueLabel(v),
  }));
}

function NumberHint({ s }: { s: TagSummaryDto }) {
  const { t } = useTranslation();
  const d = tagDistribution.safeParse(s.distribution);
  if (!d.success || d.data.kind !== 'numeric') return null;
  const q = d.data.quantiles;
  const f = (v: number | null | undefined) =>
    v === null || v === undefined ? '–' : int(Math.round(isFen(s) ? v / 100 : v));
  return (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {t('audience.numberHint', {
        p10: f(q.p10),
        p50: f(q.p50),
        p90: f(q.p90),
        min: f(d.data.min),
        max: f(d.data.max),
      })}
      {isFen(s) ? ` ${t('audience.inYuan')}` : ''}
    </Typography.Text>
  );
}

function LeafEditor({
  leaf,
  tags,
  tagOptions,
  onChange,
  onRemove,
  path,
}: {
  leaf: LeafNode;
  tags: TagIndex;
  tagOptions: { label: string; options: { value: string; label: string; search: string }[] }[];
  onChange(l: LeafNode): void;
  onRemove(): void;
  path: string;
}) {
  const { t } = useTranslation();
  const s = leaf.tag ? tags.get(leaf.tag) : undefined;
  const type = s?.definition.value_type ?? 'enum';
  const ops = opsByType[type] ?? opsByType.enum!;
  const fen = isFen(s);
  const toUi = (v: Scalar | undefined): number | undefined => (typeof v === 'number' ? (fen ? v / 100 : v) : undefined);
  const fromUi = (v: number | null) => (v === null ? undefined : fen ? Math.round(v * 100) : v);
  const list = leaf.op === 'in' || leaf.op === 'not_in';
  const arr = Array.isArray(leaf.value) ? leaf.value : [];
  const single = Array.isArray(leaf.value) ? undefined : leaf.value;

  let editor: React.ReactNode = null;
  if (s && leaf.op !== 'is_null' && leaf.op !== 'not_null') {
    if (type === 'boolean') {
      editor = (
        <Select
          aria-label={t('audience.value')}
          style={{ width: 120 }}
          value={single === undefined ? undefined : String(single)}
          onChange={(v: string) => onChange({ ...leaf, value: v === 'true' })}
          options={[
            { value: 'true', label: t('common.yes') },
            { value: 'false', label: t('common.no') },
          ]}
        />
      );
    } else if (type === 'enum' || type === 'set') {
      editor = (
        <Select
          aria-label={t('audience.value')}
          style={{ minWidth: 200 }}
          mode={list ? 'multiple' : undefined}
          value={list ? arr.map(String) : single === undefined ? undefined : String(single)}
          onChange={(v: string | string[]) => onChange({ ...leaf, value: v })}
          options={valueOptions(s)}
          placeholder={t('audience.pickValue')}
          popupMatchSelectWidth={false}
        />
      );
    } else if (type === 'number') {
      editor =
        leaf.op === 'between' ? (
          <Space.Compact>
            <InputNumber
              aria-label={t('audience.low')}
              value={toUi(arr[0])}
              onChange={(v) => onChange({ ...leaf, value: [fromUi(v as number | null) ?? '', arr[1] ?? ''] })}
            />
            <InputNumber
              aria-label={t('audience.high')}
              value={toUi(arr[1])}
              onChange={(v) => onChange({ ...leaf, value: [arr[0] ?? '', fromUi(v as number | null) ?? ''] })}
            />
          </Space.Compact>
        ) : (
          <InputNumber
            aria-label={t('audience.value')}
            value={toUi(single)}
            onChange={(v) => onChange({ ...leaf, value: fromUi(v as number | null) })}
          />
        );
    } else if (type === 'date') {
      const dateInput = (v: Scalar | undefined, set: (x: string) => void, lbl: string) => (
        <Input
          type="date"
          aria-label={lbl}
          value={typeof v === 'string' ? v : ''}
          onChange={(e) => set(e.target.value)}
          style={{ width: 150 }}
        />
      );
      editor =
        leaf.op === 'between' ? (
          <Space>
            {dateInput(arr[0], (x) => onChange({ ...leaf, value: [x, arr[1] ?? ''] }), t('audience.low'))}
            {dateInput(arr[1], (x) => onChange({ ...leaf, value: [arr[0] ?? '', x] }), t('audience.high'))}
          </Space>
        ) : (
          dateInput(single, (x) => onChange({ ...leaf, value: x }), t('audience.value'))
        );
    }
  }

  return (
    <div className="lx-leaf" data-path={path}>
      <Space wrap align="center">
        <Select
          aria-label={t('audience.tag')}
          data-testid="tag-picker"
          showSearch={{ optionFilterProp: 'search' }}
          style={{ width: 260 }}
          placeholder={t('audience.pickTag')}
          value={leaf.tag}
          options={tagOptions}
          popupMatchSelectWidth={320}
          onChange={(tag: string) => {
            const ns = tags.get(tag);
            const nt = ns?.definition.value_type ?? 'enum';
            const op = (opsByType[nt] ?? ['eq'])[0] as LeafOp;
            onChange({ ...leaf, tag, op, value: undefined });
          }}
        />
        <Select
          aria-label={t('audience.operator')}
          style={{ width: 130 }}
          value={leaf.op}
          onChange={(op: LeafOp) => {
            const wasList = Array.isArray(leaf.value);
            const isList = op === 'in' || op === 'not_in' || op === 'between';
            const value =
              op === 'is_null' || op === 'not_null'
                ? undefined
                : wasList === isList
                  ? leaf.value
                  : isList
                    ? single === undefined
                      ? []
                      : [single]
                    : arr[0];
            onChange({ ...leaf, op, value });
          }}
          options={ops.map((o) => ({ value: o, label: t(`audience.ops.${type === 'set' ? `set_${o}` : o}`) }))}
        />
        {editor}
        <Button type="text" danger onClick={onRemove} aria-label={t('audience.removeCondition')}>
          ✕
        </Button>
      </Space>
      {s && (type === 'number' || type === 'date') && (
        <div style={{ marginTop: 4 }}>
          <NumberHint s={s} />
        </div>
      )}
      {s && (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {bi(s.definition.description)}
          </Typography.Text>
        </div>
      )}
    </div>
  );
}

export function GroupEditor({
  group,
  tags,
  onChange,
  onRemove,
  depth = 0,
  path = 'root',
}: {
  group: GroupNode;
  tags: TagIndex;
  onChange(g: GroupNode): void;
  onRemove?: () => void;
  depth?: number;
  path?: string;
}) {
  const { t } = useTranslation();
  const families = [...new Set([...tags.values()].map((s) => s.definition.family))];
  const tagOptions = families.map((f) => ({
    label: label('tagFamilies', f),
    options: [...tags.values()]
      .filter((s) => s.definition.family === f)
      .map((s) => ({
        value: s.definition.id,
        label: bi(s.definition.name),
        search: `${s.definition.id} ${s.definition.name.zh} ${s.definition.name.en}`,
      })),
  }));
  const setChild = (i: number, n: Node | undefined) => {
    const children = [...group.children];
    if (n) children[i] = n;
    else children.splice(i, 1);
    onChange({ ...group, children });
  };
  return (
    <fieldset
      className="lx-group"
      data-depth={depth}
      style={{
        border: `1px solid ${group.negated ? '#ffa39e' : '#d9d9d9'}`,
        borderLeft: `4px solid ${group.op === 'and' ? '#b8321f' : '#1677ff'}`,
        borderRadius: 6,
        padding: '8px 12px',
        margin: 0,
        background: depth % 2 ? '#fafafa' : '#fff',
      }}
    >
      <legend style={{ fontSize: 12, padding: '0 4px', width: 'auto', margin: 0, border: 0 }}>
        {t('audience.group')}
      </legend>
      <Space wrap style={{ marginBottom: 8 }}>
        <Segmented
          aria-label={t('audience.combine')}
          value={group.op}
          onChange={(v) => onChange({ ...group, op: v as 'and' | 'or' })}
          options={[
            { value: 'and', label: t('audience.and') },
            { value: 'or', label: t('audience.or') },
          ]}
        />
        <Space size={4}>
          <Switch
            size="small"
            checked={group.negated}
            onChange={(negated) => onChange({ ...group, negated })}
            aria-label={t('audience.not')}
          />
          <Typography.Text>{t('audience.not')}</Typography.Text>
        </Space>
        {onRemove && (
          <Button size="small" type="text" danger onClick={onRemove}>
            {t('audience.removeGroup')}
          </Button>
        )}
      </Space>
      <Space orientation="vertical" style={{ width: '100%' }} size={8}>
        {group.children.map((c, i) =>
          c.kind === 'leaf' ? (
            <LeafEditor
              key={c.id}
              leaf={c}
              tags={tags}
              tagOptions={tagOptions}
              path={`${path}.${i}`}
              onChange={(l) => setChild(i, l)}
              onRemove={() => setChild(i, undefined)}
            />
          ) : (
            <GroupEditor
              key={c.id}
              group={c}
              tags={tags}
              depth={depth + 1}
              path={`${path}.${i}`}
              onChange={(g) => setChild(i, g)}
              onRemove={() => setChild(i, undefined)}
            />
          ),
        )}
        <Space>
          <Button size="small" onClick={() => onChange({ ...group, children: [...group.children, emptyLeaf()] })}>
            + {t('audience.addCondition')}
          </Button>
          {depth < 4 && (
            <Button
              size="small"
              onClick={() =>
                onChange({ ...group, children: [...group.children, emptyGroup(group.op === 'and' ? 'or' : 'and')] })
              }
            >
              + {t('audience.addGroup')}
            </Button>
          )}
        </Space>
      </Space>
    </fieldset>
  );
}
