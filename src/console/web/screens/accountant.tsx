import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, download, type JsonOf, must } from '../api.ts';
import { dmy, t, vnd, type Word } from '../i18n.ts';
import { Field, Loading, ProblemBox, Section, Table, useAction, useLoad, vietnamToday } from '../ui.tsx';
import { monthDays } from '../../../time/calendar.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Legend, Tooltip);

const entryWord: Record<'receipt' | 'refund' | 'replacement_reversal', Word> = { receipt: 'issuedStatus', refund: 'refund', replacement_reversal: 'replaced' };

const CENTER_COLOR = '#1d4ed8';
const DEPARTMENT_COLOR = '#b45309';

/** Days that have come: the trend stops at today rather than drawing the rest of the month as zero. */
const pastDays = <D extends { date: string }>(days: D[]) => days.filter((d) => d.date <= vietnamToday());

function previousMonth(): string {
  const [y, m] = vietnamToday().split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** A chart drawn on a canvas, redrawn when its data changes; the table beside it carries the same figures for screen readers. */
function ChartCanvas({ config, label }: { config: ConstructorParameters<typeof Chart>[1]; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const chart = new Chart(canvas.current!, { ...config, options: { ...config.options, locale: 'vi-VN', animation: false, responsive: true, maintainAspectRatio: false } });
    return () => chart.destroy();
  }, [config]);
  return (
    <div class="chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}

const loadShares = (range: { from: string; to: string }) => must(api.GET('/v1/reports/fee-shares', { params: { query: range } })) as Promise<JsonOf<'/v1/reports/fee-shares'>>;
type SharesRow = Awaited<ReturnType<typeof loadShares>>['rows'][number];

/** The month's shares per department and kind, a chart of the split, the daily trend, a row's ledger entries, and the downloads. */
export function SharesScreen() {
  const [month, setMonth] = useState(vietnamToday().slice(0, 7));
  const range = monthDays(month);
  const report = useLoad(() => loadShares(range), [month]);
  const daily = useLoad(() => must(api.GET('/v1/reports/fee-shares/daily', { params: { query: range } })), [month]);
  const [row, setRow] = useState<SharesRow | null>(null);
  const { problem, run } = useAction();
  const file = `phan-chia-phi-${month}`;
  const byDepartment = new Map<string, { name: string; center: number; department: number }>();
  for (const r of report.data?.rows ?? []) {
    const d = byDepartment.get(r.department) ?? { name: r.departmentName, center: 0, department: 0 };
    d.center += r.centerShare;
    d.department += r.departmentShare;
    byDepartment.set(r.department, d);
  }
  const departments = [...byDepartment.entries()];
  return (
    <>
      <Section
        title={`${t('shares')} ${month.split('-').reverse().join('/')}`}
        actions={
          <>
            <Field label={t('month')} name="month" type="month" value={month} onInput={(v) => v && setMonth(v)} />
            <button type="button" onClick={() => void run(() => download(`/v1/reports/fee-shares?from=${range.from}&to=${range.to}`, 'text/csv', `${file}.csv`))}>
              {t('downloadCsv')}
            </button>
            <button
              type="button"
              onClick={() => void run(() => download(`/v1/reports/fee-shares?from=${range.from}&to=${range.to}`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', `${file}.xlsx`))}
            >
              {t('downloadXlsx')}
            </button>
          </>
        }
      >
        <ProblemBox problem={problem ?? report.problem} />
        {!report.data ? (
          <Loading />
        ) : (
          <Table
            testId="shares"
            rows={report.data.rows}
            rowKey={(r) => `${r.department}-${r.kind}`}
            columns={[
              {
                label: t('department'),
                cell: (r) => (
                  <button type="button" class="link" onClick={() => setRow(r)}>
                    {r.departmentName}
                  </button>
                ),
              },
              { label: t('kind'), cell: (r) => t(r.kind as Word) },
              { label: t('receipts'), amount: true, cell: (r) => r.receipts },
              { label: t('collected'), amount: true, cell: (r) => vnd(r.collected) },
              { label: t('refunded'), amount: true, cell: (r) => vnd(r.refunded) },
              { label: t('centerShare'), amount: true, cell: (r) => vnd(r.centerShare) },
              { label: t('departmentShare'), amount: true, cell: (r) => vnd(r.departmentShare) },
            ]}
            foot={
              <tfoot>
                <tr>
                  <th scope="row" colSpan={2}>
                    {t('totals')}
                  </th>
                  <td class="amount">{report.data.totals.receipts}</td>
                  <td class="amount">{vnd(report.data.totals.collected)}</td>
                  <td class="amount">{vnd(report.data.totals.refunded)}</td>
                  <td class="amount" data-testid="total-center">
                    {vnd(report.data.totals.centerShare)}
                  </td>
                  <td class="amount">{vnd(report.data.totals.departmentShare)}</td>
                </tr>
              </tfoot>
            }
          />
        )}
      </Section>
      {row ? <Entries row={row} range={range} /> : null}
      <div class="two">
        <Section title={`${t('centerShare')} / ${t('departmentShare')}`}>
          {departments.length ? (
            <ChartCanvas
              label={departments.map(([, d]) => `${d.name}: ${vnd(d.center)} / ${vnd(d.department)}`).join('; ')}
              config={{
                type: 'bar',
                data: {
                  labels: departments.map(([code]) => code),
                  datasets: [
                    { label: t('centerShare'), data: departments.map(([, d]) => d.center), backgroundColor: CENTER_COLOR },
                    { label: t('departmentShare'), data: departments.map(([, d]) => d.department), backgroundColor: DEPARTMENT_COLOR },
                  ],
                },
                options: { scales: { x: { stacked: true }, y: { stacked: true } } },
              }}
            />
          ) : (
            <p class="muted">{t('none')}</p>
          )}
        </Section>
        <Section title={t('dailyTrend')}>
          <ProblemBox problem={daily.problem} />
          {daily.data ? (
            <ChartCanvas
              label={pastDays(daily.data.days)
                .map((d) => `${dmy(d.date)}: ${vnd(d.net)}`)
                .join('; ')}
              config={{
                type: 'line',
                data: {
                  labels: pastDays(daily.data.days).map((d) => d.date.slice(8)),
                  datasets: [
                    { label: t('centerShare'), data: pastDays(daily.data.days).map((d) => d.centerShare), borderColor: CENTER_COLOR, backgroundColor: CENTER_COLOR },
                    { label: t('departmentShare'), data: pastDays(daily.data.days).map((d) => d.departmentShare), borderColor: DEPARTMENT_COLOR, backgroundColor: DEPARTMENT_COLOR },
                  ],
                },
              }}
            />
          ) : (
            <Loading />
          )}
        </Section>
      </div>
    </>
  );
}

function Entries({ row, range }: { row: SharesRow; range: { from: string; to: string } }) {
  const entries = useLoad(() => must(api.GET('/v1/reports/fee-shares/entries', { params: { query: { ...range, department: row.department, kind: row.kind, limit: 100 } } })), [row]);
  return (
    <Section title={`${t('entries')}: ${row.departmentName} · ${t(row.kind as Word)}`}>
      <ProblemBox problem={entries.problem} />
      {!entries.data ? (
        <Loading />
      ) : (
        <Table
          testId="entries"
          rows={entries.data.data}
          rowKey={(e) => e.id}
          columns={[
            { label: t('date'), cell: (e) => dmy(e.businessDate) },
            { label: t('receipts'), cell: (e) => `${t(entryWord[e.entryType])} · ${e.receipt.series} – ${String(e.receipt.number).padStart(7, '0')}` },
            { label: t('amount'), amount: true, cell: (e) => vnd(e.collected - e.refunded) },
            { label: t('centerShare'), amount: true, cell: (e) => vnd(e.centerShare) },
            { label: t('departmentShare'), amount: true, cell: (e) => vnd(e.departmentShare) },
          ]}
        />
      )}
    </Section>
  );
}

/** A receipt named as the counter knows it: series, number, payer. */
function ReceiptLabel({ id }: { id: string }) {
  const receipt = useLoad(() => must(api.GET('/v1/receipts/{id}', { params: { path: { id } } })), [id]);
  if (!receipt.data) return <span>{id.slice(0, 8)}</span>;
  const r = receipt.data;
  return (
    <span>
      {r.series} – {String(r.number).padStart(7, '0')} · {r.payer.name} · {vnd(r.total)}
    </span>
  );
}

/** Refunds and corrections waiting for an accountant: approve, or reject with a reason. */
export function ApprovalsScreen() {
  const refunds = useLoad(() => must(api.GET('/v1/refunds', { params: { query: { status: 'pending', limit: 100 } } })), []);
  const corrections = useLoad(() => must(api.GET('/v1/corrections', { params: { query: { status: 'pending', limit: 100 } } })), []);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [done, setDone] = useState<Record<string, string>>({});
  const { busy, problem, run } = useAction();
  // The problem of a decision belongs to the item it was about.
  const [acting, setActing] = useState('');
  const decide = (kind: 'refund' | 'correction', id: string, approve: boolean) =>
    void run(async () => {
      setActing(id);
      if (kind === 'refund') {
        if (approve) await must(api.POST('/v1/refunds/{id}/approve', { params: { path: { id } } }));
        else await must(api.POST('/v1/refunds/{id}/reject', { params: { path: { id } }, body: { reason: reasons[id] ?? '' } }));
      } else if (approve) await must(api.POST('/v1/corrections/{id}/approve', { params: { path: { id } } }));
      else await must(api.POST('/v1/corrections/{id}/reject', { params: { path: { id } }, body: { reason: reasons[id] ?? '' } }));
      setDone({ ...done, [id]: approve ? t('approve') : t('reject') });
    });
  const item = (kind: 'refund' | 'correction', id: string, what: string, receiptId: string, reason: string) => (
    <li key={id} class="approval" data-testid={`approval-${id}`}>
      <p>
        <strong>{what}</strong> · <ReceiptLabel id={receiptId} /> · {t('reason')}: {reason}
      </p>
      {done[id] ? (
        <p role="status">✓ {done[id]}</p>
      ) : (
        <div class="row">
          <button type="button" class="primary" disabled={busy} onClick={() => decide(kind, id, true)}>
            {t('approve')}
          </button>
          <Field label={t('reason')} name="body.reason" problem={acting === id ? problem : null} value={reasons[id] ?? ''} onInput={(v) => setReasons({ ...reasons, [id]: v })} />
          <button type="button" disabled={busy} onClick={() => decide(kind, id, false)}>
            {t('reject')}
          </button>
        </div>
      )}
    </li>
  );
  return (
    <>
      <ProblemBox problem={problem} />
      <Section title={t('refund')}>
        <ProblemBox problem={refunds.problem} />
        {!refunds.data ? (
          <Loading />
        ) : refunds.data.data.length === 0 ? (
          <p class="muted">{t('none')}</p>
        ) : (
          <ul class="approvals">{refunds.data.data.map((r) => item('refund', r.id, `${t('refund')} ${vnd(r.amount)}`, r.receiptId, r.reason))}</ul>
        )}
      </Section>
      <Section title={`${t('replacement')} / ${t('errorNotice')}`}>
        <ProblemBox problem={corrections.problem} />
        {!corrections.data ? (
          <Loading />
        ) : corrections.data.data.length === 0 ? (
          <p class="muted">{t('none')}</p>
        ) : (
          <ul class="approvals">{corrections.data.data.map((c) => item('correction', c.id, c.kind === 'replacement' ? t('replacement') : t('errorNotice'), c.receiptId, c.reason))}</ul>
        )}
      </Section>
    </>
  );
}

/** Closing a month: the figures that will be frozen are shown before the accountant confirms. */
export function PeriodsScreen() {
  const [month, setMonth] = useState(previousMonth());
  const range = monthDays(month);
  const period = useLoad(() => must(api.GET('/v1/periods/{month}', { params: { path: { month } } })), [month]);
  const report = useLoad(() => loadShares(range), [month]);
  const [confirming, setConfirming] = useState(false);
  const { busy, problem, run } = useAction();
  const close = () =>
    void run(async () => {
      await must(api.POST('/v1/periods/{month}/close', { params: { path: { month } } }));
      setConfirming(false);
      period.reload();
    });
  return (
    <Section title={t('closeMonth')}>
      <Field label={t('month')} name="month" type="month" value={month} onInput={(v) => v && setMonth(v)} />
      <ProblemBox problem={problem ?? period.problem} />
      {period.data ? (
        <p data-testid="period-status">
          {t('status')}: <strong>{period.data.status === 'closed' ? t('closed') : t('open')}</strong>
          {period.data.reportSha256 ? <code> SHA-256 {period.data.reportSha256}</code> : null}
        </p>
      ) : null}
      {period.data?.status === 'open' && month >= vietnamToday().slice(0, 7) ? <p class="muted">{t('notEnded')}</p> : null}
      {period.data?.status === 'open' && month < vietnamToday().slice(0, 7) && !confirming ? (
        <button type="button" class="primary" onClick={() => setConfirming(true)}>
          {t('closeMonth')}
        </button>
      ) : null}
      {confirming && report.data ? (
        <div class="confirm" role="dialog" aria-labelledby="confirm-title">
          <p id="confirm-title">
            <strong>
              {t('closeMonth')} {month.split('-').reverse().join('/')}. {t('closeConfirm')}
            </strong>
          </p>
          <ul>
            <li>
              {t('collected')}: {vnd(report.data.totals.collected)}
            </li>
            <li>
              {t('refunded')}: {vnd(report.data.totals.refunded)}
            </li>
            <li>
              {t('centerShare')}: {vnd(report.data.totals.centerShare)}
            </li>
            <li>
              {t('departmentShare')}: {vnd(report.data.totals.departmentShare)}
            </li>
          </ul>
          <div class="row">
            <button type="button" class="primary" disabled={busy} onClick={close}>
              {t('confirm')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('cancel')}
            </button>
          </div>
        </div>
      ) : null}
    </Section>
  );
}

/** Messages to the tax authority and their answers. */
export function TransmissionsScreen() {
  const list = useLoad(() => must(api.GET('/v1/transmissions', { params: { query: { limit: 100 } } })), []);
  return (
    <Section title={t('transmissions')}>
      <ProblemBox problem={list.problem} />
      {!list.data ? (
        <Loading />
      ) : (
        <Table
          empty={t('none')}
          rows={list.data.data}
          rowKey={(m) => m.id}
          rowClass={(m) => (m.overdue ? 'overdue' : undefined)}
          columns={[
            { label: t('date'), cell: (m) => (m.documentDate ? dmy(m.documentDate) : dmy(m.createdAt)) },
            { label: t('kind'), cell: (m) => m.documentType },
            { label: t('status'), cell: (m) => m.status },
            { label: t('reason'), cell: (m) => m.reply?.text ?? m.attempts.at(-1)?.detail ?? '' },
          ]}
        />
      )}
    </Section>
  );
}
