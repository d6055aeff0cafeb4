import { useState } from 'preact/hooks';
import { api, csrf, must, type Schemas } from '../api.ts';
import { dmy, t } from '../i18n.ts';
import { Field, Loading, ProblemBox, Section, Table, useAction, useLoad, vietnamToday } from '../ui.tsx';
import { vietnamLocalTime } from '../../../time/vietnam.ts';

type Verdict = Schemas['VerificationResult'];
interface Checked {
  name: string;
  verdict?: Verdict;
  problem?: string;
}

/** One file sent to POST /v1/verify, as the XML it is. */
async function verifyFile(file: File): Promise<Checked> {
  const response = await fetch('/v1/verify', { method: 'POST', headers: { 'content-type': 'application/xml', 'x-csrf-token': csrf() }, body: await file.arrayBuffer() });
  const body = await response.json();
  if (!response.ok) return { name: file.name, problem: `${body.code}: ${body.detail}` };
  return { name: file.name, verdict: body as Verdict };
}

/** Drop one or many signed XML files: each gets its verdict and every check with its reason. */
export function VerifyScreen() {
  const [results, setResults] = useState<Checked[]>([]);
  const [busy, setBusy] = useState(false);
  const [over, setOver] = useState(false);
  const check = async (files: FileList | null) => {
    if (!files?.length) return;
    setBusy(true);
    const done: Checked[] = [];
    for (const file of Array.from(files)) {
      done.push(await verifyFile(file).catch((err: unknown) => ({ name: file.name, problem: String(err) })));
      setResults([...done]);
    }
    setBusy(false);
  };
  return (
    <Section title={t('verify')}>
      <label
        class={`drop${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          void check(e.dataTransfer?.files ?? null);
        }}
      >
        <span>{t('dropFiles')}</span>
        <input type="file" accept=".xml,application/xml,text/xml" multiple class="visually-hidden" onChange={(e) => void check((e.currentTarget as HTMLInputElement).files)} />
      </label>
      {busy ? <Loading /> : null}
      <ul class="verdicts" aria-live="polite">
        {results.map((r) => (
          <li key={r.name} class={r.verdict?.valid ? 'ok' : 'bad'} data-testid="verdict">
            <p>
              <strong>{r.name}</strong>: <span class="verdict">{r.verdict ? (r.verdict.valid ? t('valid') : t('invalid')) : t('error')}</span>
              {r.verdict?.document ? (
                <span class="muted">
                  {' '}
                  · {r.verdict.document.type} {r.verdict.document.series ?? ''} {r.verdict.document.number ?? ''}
                </span>
              ) : null}
            </p>
            {r.problem ? <p class="problem">{r.problem}</p> : null}
            {r.verdict ? (
              <table class="data checks">
                <tbody>
                  {r.verdict.checks.map((c) => (
                    <tr key={c.name} class={c.passed ? '' : c.skipped ? 'skipped' : 'failed'}>
                      <td>{c.passed ? '✓' : c.skipped ? '–' : '✗'}</td>
                      <th scope="row">{c.name}</th>
                      <td>{c.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </li>
        ))}
      </ul>
    </Section>
  );
}

/** Days of a period in chunks the API takes (at most 92 days per request), so the bar can show progress. */
export function chunks(from: string, to: string, days = 7): Array<{ from: string; to: string }> {
  const out: Array<{ from: string; to: string }> = [];
  const day = 86_400_000;
  for (let start = Date.parse(from); start <= Date.parse(to); start += days * day) {
    const end = Math.min(start + (days - 1) * day, Date.parse(to));
    out.push({ from: new Date(start).toISOString().slice(0, 10), to: new Date(end).toISOString().slice(0, 10) });
  }
  return out;
}

type PeriodAudit = Awaited<ReturnType<typeof auditChunk>>;
const auditChunk = (range: { from: string; to: string }) => must(api.POST('/v1/audit/verify-period', { body: range }));

/** Re-verifies every stored document of a period, a week at a time, with a progress bar and the findings. */
export function ReverifyScreen() {
  const [from, setFrom] = useState(`${vietnamToday().slice(0, 8)}01`);
  const [to, setTo] = useState(vietnamToday());
  const [progress, setProgress] = useState<{ done: number; of: number } | null>(null);
  const [results, setResults] = useState<PeriodAudit[]>([]);
  const { busy, problem, run } = useAction();
  const start = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const parts = chunks(from, to);
      const done: PeriodAudit[] = [];
      setResults([]);
      setProgress({ done: 0, of: parts.length });
      for (const part of parts) {
        done.push(await auditChunk(part));
        setResults([...done]);
        setProgress({ done: done.length, of: parts.length });
      }
    });
  };
  const valid = results.reduce((n, r) => n + r.valid, 0);
  const invalid = results.reduce((n, r) => n + r.invalid, 0);
  const findings = results.flatMap((r) => r.findings);
  return (
    <Section title={t('reverify')}>
      <form class="row" onSubmit={start}>
        <Field label={t('from')} name="body.from" problem={problem} type="date" value={from} onInput={setFrom} required />
        <Field label={t('to')} name="body.to" problem={problem} type="date" value={to} onInput={setTo} required />
        <button type="submit" class="primary" disabled={busy}>
          {t('run')}
        </button>
      </form>
      <ProblemBox problem={problem} />
      {progress ? (
        <p>
          <progress max={progress.of} value={progress.done} aria-label={t('reverify')} /> {progress.done}/{progress.of} {t('weeks')}
        </p>
      ) : null}
      {results.length ? (
        <p data-testid="reverify-summary">
          {t('valid')}: <strong>{valid}</strong> · {t('invalid')}: <strong>{invalid}</strong>
        </p>
      ) : null}
      {findings.length ? (
        <ul class="findings">
          {findings.map((f) => (
            <li key={`${f.type}-${f.id}`}>
              <strong>{f.label}</strong>: {f.problems.join('; ')}
            </li>
          ))}
        </ul>
      ) : null}
    </Section>
  );
}

/** An instant as the center reads it: Vietnam time, d/m/y h:m:s. */
const vietnamTime = (iso: string) => {
  const local = vietnamLocalTime(new Date(iso));
  return `${dmy(local.slice(0, 10))} ${local.slice(11)}`;
};

/** The audit trail, oldest first a page at a time, with the hash chain's status. */
export function AuditTrailScreen() {
  const chain = useLoad(() => must(api.GET('/v1/audit/verify')), []);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const events = useLoad(() => must(api.GET('/v1/audit/events', { params: { query: { limit: 50, cursor } } })), [cursor]);
  return (
    <>
      <Section title={t('chain')}>
        <ProblemBox problem={chain.problem} />
        {chain.data ? (
          <p data-testid="chain" class={chain.data.valid ? 'ok' : 'bad'}>
            <strong>{chain.data.valid ? t('intact') : t('broken')}</strong> · {chain.data.events} · <code>{chain.data.head.hash.slice(0, 16)}…</code>
            {chain.data.firstBroken ? ` · #${chain.data.firstBroken.seq}: ${chain.data.firstBroken.reason}` : ''}
          </p>
        ) : (
          <Loading />
        )}
      </Section>
      <Section
        title={t('auditTrail')}
        actions={
          events.data?.nextCursor ? (
            <button type="button" onClick={() => setCursor(events.data?.nextCursor ?? undefined)}>
              {t('more')}
            </button>
          ) : null
        }
      >
        <ProblemBox problem={events.problem} />
        {!events.data ? (
          <Loading />
        ) : (
          <Table
            rows={events.data.data}
            rowKey={(e) => e.seq}
            columns={[
              { label: '#', amount: true, cell: (e) => e.seq },
              { label: `${t('date')} (${t('vietnamTime')})`, cell: (e) => vietnamTime(e.at) },
              { label: t('actor'), cell: (e) => e.actor },
              {
                label: t('action'),
                cell: (e) => (
                  <>
                    <code>{e.action}</code> {e.subjectType} {e.subjectId}
                  </>
                ),
              },
            ]}
          />
        )}
      </Section>
    </>
  );
}
