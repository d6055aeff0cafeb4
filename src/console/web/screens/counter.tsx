import { useMemo, useState } from 'preact/hooks';
import { amountInWords } from '../../../money/words.ts';
import { api, idempotencyKey, must, type Schemas } from '../api.ts';
import { allFees, DepartmentSelect, useDepartmentChoice } from '../catalog.tsx';
import { t, vnd } from '../i18n.ts';
import { Field, Loading, ProblemBox, Section, Select, useAction, useLoad } from '../ui.tsx';

type Fee = Schemas['Fee'];
type Receipt = Schemas['Receipt'];

/** Prints a receipt's A5 page from a hidden frame: the browser's print dialog opens on the page itself. */
export function printReceipt(id: string) {
  document.getElementById('print-frame')?.remove();
  const frame = document.createElement('iframe');
  frame.id = 'print-frame';
  frame.title = 'print';
  frame.className = 'print-frame';
  frame.src = `/v1/receipts/${id}/print`;
  frame.addEventListener('load', () => frame.contentWindow?.print());
  document.body.append(frame);
}

const paymentOptions = (): Array<[string, string]> => [
  ['cash', t('cash')],
  ['transfer', t('transfer')],
  ['card', t('card')],
  ['qr', t('qr')],
];

interface Line {
  fee: Fee;
  quantity: number;
}

/** The cashier's screen: pick a department and fees, type the payer, see the total in figures and words, issue and print. */
export function CounterScreen() {
  const choice = useDepartmentChoice();
  const { departments, chosen } = choice;
  const fees = useLoad(() => (chosen ? allFees(chosen) : Promise.resolve([])), [chosen]);
  const [query, setQuery] = useState('');
  const [lines, setLines] = useState<Line[]>([]);
  const [payer, setPayer] = useState({ name: '', address: '', taxCode: '', idNumber: '' });
  const [email, setEmail] = useState('');
  const [dossierCode, setDossierCode] = useState('');
  const [paymentMethod, setPaymentMethod] = useState('cash');
  const [key, setKey] = useState(idempotencyKey);
  const [issued, setIssued] = useState<Receipt | null>(null);
  const { busy, problem, run } = useAction();

  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    return (fees.data ?? []).filter((f) => f.active && (!q || f.name.toLowerCase().includes(q) || f.code.toLowerCase().includes(q))).slice(0, 30);
  }, [fees.data, query]);
  const total = lines.reduce((sum, l) => sum + l.fee.amount * l.quantity, 0);

  const addFee = (fee: Fee) =>
    setLines((ls) => (ls.some((l) => l.fee.code === fee.code) ? ls.map((l) => (l.fee.code === fee.code ? { ...l, quantity: l.quantity + 1 } : l)) : [...ls, { fee, quantity: 1 }]));
  const setQuantity = (code: string, quantity: number) => setLines((ls) => ls.map((l) => (l.fee.code === code ? { ...l, quantity } : l)));
  const changeDepartment = (code: string) => {
    choice.choose(code);
    setLines([]);
  };

  const issue = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const optional = (v: string) => (v.trim() ? v.trim() : undefined);
      const receipt = await must(
        api.POST('/v1/receipts', {
          params: { header: { 'Idempotency-Key': key } },
          body: {
            department: chosen,
            payer: { name: payer.name, address: optional(payer.address), taxCode: optional(payer.taxCode), idNumber: optional(payer.idNumber) },
            items: lines.map((l) => ({ feeCode: l.fee.code, quantity: l.quantity })),
            paymentMethod: paymentMethod as 'cash',
            dossierCode: optional(dossierCode),
            email: optional(email),
          },
        }),
      );
      setIssued(receipt);
      printReceipt(receipt.id);
    });
  };

  const startOver = () => {
    setIssued(null);
    setLines([]);
    setPayer({ name: '', address: '', taxCode: '', idNumber: '' });
    setEmail('');
    setDossierCode('');
    setKey(idempotencyKey());
  };

  if (issued) {
    return (
      <Section title={t('issued')}>
        <p class="issued" data-testid="issued">
          {issued.series} – {t('number')} <strong>{String(issued.number).padStart(7, '0')}</strong> · {issued.payer.name} · <strong>{vnd(issued.total)}</strong>
        </p>
        <p class="muted">{issued.totalInWords}</p>
        <div class="row">
          <button type="button" onClick={() => printReceipt(issued.id)}>
            {t('print')}
          </button>
          <button type="button" class="primary" onClick={startOver}>
            {t('newReceipt')}
          </button>
        </div>
      </Section>
    );
  }
  if (!departments.data) return departments.problem ? <ProblemBox problem={departments.problem} /> : <Loading />;
  return (
    <form class="counter" onSubmit={issue}>
      <Section title={t('counter')}>
        <ProblemBox problem={problem ?? fees.problem} />
        <DepartmentSelect choice={choice} name="body.department" problem={problem} onChange={changeDepartment} />
        <Field label={t('searchFees')} name="search" value={query} onInput={setQuery} placeholder={t('searchFees')} />
        <ul class="fee-list" aria-label={t('fees')}>
          {matches.map((f) => (
            <li key={f.code}>
              <button type="button" class="fee" onClick={() => addFee(f)}>
                <span>{f.name}</span>
                <span class="amount">{vnd(f.amount)}</span>
              </button>
            </li>
          ))}
        </ul>
      </Section>
      <Section title={t('total')}>
        {lines.length === 0 ? <p class="muted">{t('noItems')}</p> : null}
        {problem?.field('body.items') ? <p class="field-error">{problem.field('body.items')}</p> : null}
        <table class="lines">
          <tbody>
            {lines.map((l) => (
              <tr key={l.fee.code}>
                <td>{l.fee.name}</td>
                <td>
                  <label class="visually-hidden" for={`qty-${l.fee.code}`}>
                    {t('quantity')}
                  </label>
                  <input
                    id={`qty-${l.fee.code}`}
                    class="qty"
                    type="number"
                    min="1"
                    max="1000"
                    value={l.quantity}
                    onInput={(e) => setQuantity(l.fee.code, Math.max(1, Number((e.currentTarget as HTMLInputElement).value) || 1))}
                  />
                </td>
                <td class="amount">{vnd(l.fee.amount * l.quantity)}</td>
                <td>
                  <button type="button" class="link" onClick={() => setLines((ls) => ls.filter((x) => x.fee.code !== l.fee.code))}>
                    {t('remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p class="total">
          {t('total')}: <strong data-testid="total">{vnd(total)}</strong>
        </p>
        <p class="words">
          {t('inWords')}: <em data-testid="words">{total > 0 ? amountInWords(total) : '—'}</em>
        </p>
      </Section>
      <Section title={t('payer')}>
        <div class="grid">
          <Field label={t('payerName')} name="body.payer.name" problem={problem} value={payer.name} onInput={(name) => setPayer({ ...payer, name })} required />
          <Field label={t('address')} name="body.payer.address" problem={problem} value={payer.address} onInput={(address) => setPayer({ ...payer, address })} />
          <Field label={t('idNumber')} name="body.payer.idNumber" problem={problem} value={payer.idNumber} onInput={(idNumber) => setPayer({ ...payer, idNumber })} inputMode="numeric" />
          <Field label={t('taxCode')} name="body.payer.taxCode" problem={problem} value={payer.taxCode} onInput={(taxCode) => setPayer({ ...payer, taxCode })} />
          <Field label={t('dossierCode')} name="body.dossierCode" problem={problem} value={dossierCode} onInput={setDossierCode} />
          <Field label={t('email')} name="body.email" problem={problem} value={email} onInput={setEmail} type="email" />
          <Select label={t('paymentMethod')} name="body.paymentMethod" problem={problem} value={paymentMethod} onChange={setPaymentMethod} options={paymentOptions()} />
        </div>
        <button type="submit" class="primary big" disabled={busy}>
          {t('issue')}
        </button>
      </Section>
    </form>
  );
}
