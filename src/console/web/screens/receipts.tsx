import { useState } from 'preact/hooks';
import { api, idempotencyKey, must, type Schemas, wholeAmount } from '../api.ts';
import { dmy, parseWhole, t, vnd, type Word } from '../i18n.ts';
import type { Session } from '../main.tsx';
import { Field, Loading, ProblemBox, Section, Select, Table, useAction, useLoad, vietnamToday } from '../ui.tsx';
import { printReceipt } from './counter.tsx';

type Receipt = Schemas['Receipt'];

const statusWord: Record<Receipt['status'], Word> = { issued: 'issuedStatus', replaced: 'replaced' };
const decisionWord: Record<'pending' | 'approved' | 'rejected', Word> = { pending: 'pending', approved: 'approved', rejected: 'rejected' };

/** The refunds asked for on a receipt, each with its state and, once approved, its signed voucher. */
function Refunds({ receiptId }: { receiptId: string }) {
  const refunds = useLoad(() => must(api.GET('/v1/receipts/{id}/refunds', { params: { path: { id: receiptId } } })), [receiptId]);
  if (!refunds.data?.data.length) return null;
  return (
    <>
      <h3>{t('vouchers')}</h3>
      <Table
        rows={refunds.data.data}
        rowKey={(r) => r.id}
        columns={[
          { label: t('date'), cell: (r) => dmy(r.requestedAt) },
          { label: t('amount'), amount: true, cell: (r) => vnd(r.amount) },
          { label: t('reason'), cell: (r) => r.reason },
          { label: t('status'), cell: (r) => t(decisionWord[r.status]) },
          {
            label: t('voucher'),
            quiet: true,
            cell: (r) =>
              r.status === 'approved' ? (
                <a href={`/v1/refunds/${r.id}/xml`} download>
                  {t('voucher')}
                </a>
              ) : null,
          },
        ]}
      />
    </>
  );
}

const noticeFields = ['payerName', 'payerAddress', 'payerIdNumber', 'dossierCode', 'paymentMethod', 'totalInWords'] as const;

/** Receipts found by number, payer, dossier code or day; a cashier asks here for a refund, a replacement or an error notice. */
export function ReceiptsScreen({ session }: { session: Session }) {
  const [from, setFrom] = useState(`${vietnamToday().slice(0, 8)}01`);
  const [to, setTo] = useState(vietnamToday());
  const [q, setQ] = useState('');
  const [search, setSearch] = useState({ from, to, q });
  const [open, setOpen] = useState<string | null>(null);
  const list = useLoad(
    () => must(api.GET('/v1/receipts', { params: { query: { from: search.from || undefined, to: search.to || undefined, q: search.q.trim() || undefined, limit: 100 } } })),
    [search],
  );
  const submit = (e: Event) => {
    e.preventDefault();
    setSearch({ from, to, q });
  };
  return (
    <>
      <Section title={t('receipts')}>
        <form class="row filters" onSubmit={submit}>
          <Field label={t('search')} name="querystring.q" problem={list.problem} value={q} onInput={setQ} />
          <Field label={t('from')} name="querystring.from" problem={list.problem} type="date" value={from} onInput={setFrom} />
          <Field label={t('to')} name="querystring.to" problem={list.problem} type="date" value={to} onInput={setTo} />
          <button type="submit">{t('find')}</button>
        </form>
        <ProblemBox problem={list.problem} />
        {!list.data ? (
          <Loading />
        ) : (
          <Table
            empty={t('none')}
            rows={list.data.data}
            rowKey={(r) => r.id}
            columns={[
              { label: t('series'), cell: (r) => r.series },
              { label: t('number'), cell: (r) => String(r.number).padStart(7, '0') },
              { label: t('date'), cell: (r) => dmy(r.issueDate) },
              { label: t('payer'), cell: (r) => r.payer.name },
              { label: t('dossierCode'), cell: (r) => r.dossierCode ?? '' },
              { label: t('total'), amount: true, cell: (r) => vnd(r.total) },
              { label: t('status'), cell: (r) => t(statusWord[r.status]) },
              {
                label: t('action'),
                quiet: true,
                cell: (r) => (
                  <>
                    <button type="button" class="link" onClick={() => printReceipt(r.id)}>
                      {t('print')}
                    </button>
                    {session.role === 'cashier' ? (
                      <button type="button" class="link" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
                        {t('more')}
                      </button>
                    ) : null}
                  </>
                ),
              },
            ]}
          />
        )}
      </Section>
      {open && list.data ? <Requests receipt={list.data.data.find((r) => r.id === open)!} onDone={list.reload} /> : null}
    </>
  );
}

/** The three requests a cashier makes about a receipt; each waits for an accountant. */
function Requests({ receipt, onDone }: { receipt: Receipt; onDone: () => void }) {
  const [kind, setKind] = useState<'refund' | 'errorNotice' | 'replacement'>('refund');
  const [amount, setAmount] = useState(String(receipt.refunds.refundable));
  const [reason, setReason] = useState('');
  const [field, setField] = useState<string>('payerName');
  const [correctValue, setCorrectValue] = useState('');
  const [payerName, setPayerName] = useState(receipt.payer.name);
  const [key] = useState(idempotencyKey);
  const [done, setDone] = useState('');
  const { busy, problem, run } = useAction();
  const id = receipt.id;
  const headers = { 'Idempotency-Key': key };
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      if (kind === 'refund') {
        await must(api.POST('/v1/receipts/{id}/refunds', { params: { path: { id }, header: headers }, body: { amount: wholeAmount(parseWhole(amount), 'body.amount', t('wholeNumber')), reason } }));
      } else if (kind === 'errorNotice') {
        await must(api.POST('/v1/receipts/{id}/error-notices', { params: { path: { id }, header: headers }, body: { field, correctValue, reason } }));
      } else {
        await must(
          api.POST('/v1/receipts/{id}/replacement', {
            params: { path: { id }, header: headers },
            body: {
              department: receipt.department.code,
              payer: { ...receipt.payer, name: payerName },
              items: receipt.items.map((i) => (i.feeCode ? { feeCode: i.feeCode, quantity: i.quantity } : { name: i.name, kind: i.kind, amount: i.amount })),
              paymentMethod: receipt.paymentMethod,
              dossierCode: receipt.dossierCode ?? undefined,
              reason,
            },
          }),
        );
      }
      setDone(kind === 'refund' ? `${t('refund')} ${vnd(parseWhole(amount))}: ${t('requested')}` : `${t(kind)}: ${t('requested')}`);
      onDone();
    });
  };
  const title = `${receipt.series} – ${String(receipt.number).padStart(7, '0')} · ${receipt.payer.name}`;
  if (done) {
    return (
      <Section title={title}>
        <p role="status" data-testid="requested">
          {done}
        </p>
        <Refunds receiptId={receipt.id} />
      </Section>
    );
  }
  return (
    <Section title={title}>
      <form onSubmit={submit}>
        <div class="row" role="radiogroup" aria-label={t('action')}>
          {(['refund', 'replacement', 'errorNotice'] as const).map((k) => (
            <label key={k} class="choice">
              <input type="radio" name="kind" checked={kind === k} onChange={() => setKind(k)} /> {t(k)}
            </label>
          ))}
        </div>
        <ProblemBox problem={problem} />
        {kind === 'refund' ? (
          <Field label={`${t('amount')} (≤ ${vnd(receipt.refunds.refundable)})`} name="body.amount" problem={problem} value={amount} onInput={setAmount} inputMode="numeric" required />
        ) : null}
        {kind === 'errorNotice' ? (
          <>
            <Select label={t('field')} name="body.field" problem={problem} value={field} onChange={setField} options={noticeFields.map((f) => [f, f])} />
            <Field label={t('correctValue')} name="body.correctValue" problem={problem} value={correctValue} onInput={setCorrectValue} required />
          </>
        ) : null}
        {kind === 'replacement' ? <Field label={t('payerName')} name="body.payer.name" problem={problem} value={payerName} onInput={setPayerName} required /> : null}
        <Field label={t('reason')} name="body.reason" problem={problem} value={reason} onInput={setReason} required />
        <button type="submit" class="primary" disabled={busy}>
          {t('send')}
        </button>
      </form>
      <Refunds receiptId={receipt.id} />
    </Section>
  );
}
