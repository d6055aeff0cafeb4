import { useEffect, useState } from 'preact/hooks';
import { api, must, type Schemas, wholeAmount } from '../api.ts';
import { dmy, parseWhole, t, vnd, type Word } from '../i18n.ts';
import { Field, Loading, ProblemBox, Section, Select, Table, useAction, useLoad, vietnamToday } from '../ui.tsx';
import { allDepartments, allFees, DepartmentSelect, useDepartmentChoice } from '../catalog.tsx';

const kinds = (): Array<[string, string]> => [
  ['fee', t('fee')],
  ['charge', t('charge')],
];

/** The center: name, tax code and address printed on every receipt. */
export function CenterScreen() {
  const center = useLoad(() => must(api.GET('/v1/center')).catch(() => null), []);
  const [form, setForm] = useState({ name: '', taxCode: '', address: '' });
  const [saved, setSaved] = useState(false);
  const { busy, problem, run } = useAction();
  useEffect(() => {
    if (center.data) setForm({ name: center.data.name, taxCode: center.data.taxCode, address: center.data.address });
  }, [center.data]);
  const save = (e: Event) => {
    e.preventDefault();
    setSaved(false);
    void run(async () => {
      await must(api.PUT('/v1/center', { body: { ...form, taxOffice: center.data?.taxOffice } }));
      setSaved(true);
    });
  };
  if (center.data === undefined) return <Loading />;
  return (
    <Section title={t('center')}>
      <form onSubmit={save}>
        <ProblemBox problem={problem} />
        <Field label={t('name')} name="body.name" problem={problem} value={form.name} onInput={(name) => setForm({ ...form, name })} required />
        <Field label={t('taxCode')} name="body.taxCode" problem={problem} value={form.taxCode} onInput={(taxCode) => setForm({ ...form, taxCode })} required />
        <Field label={t('address')} name="body.address" problem={problem} value={form.address} onInput={(address) => setForm({ ...form, address })} required />
        <button type="submit" class="primary" disabled={busy}>
          {t('save')}
        </button>
        {saved ? <span role="status"> ✓ {t('saved')}</span> : null}
      </form>
    </Section>
  );
}

export function DepartmentsScreen() {
  const list = useLoad(allDepartments, []);
  const [form, setForm] = useState({ code: '', name: '', taxCode: '', address: '' });
  const { busy, problem, run } = useAction();
  const add = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await must(api.POST('/v1/departments', { body: { code: form.code, name: form.name, taxCode: form.taxCode, address: form.address || undefined } }));
      setForm({ code: '', name: '', taxCode: '', address: '' });
      list.reload();
    });
  };
  return (
    <>
      <Section title={t('departments')}>
        <ProblemBox problem={list.problem} />
        {!list.data ? (
          <Loading />
        ) : (
          <Table
            rows={list.data}
            rowKey={(d) => d.code}
            columns={[
              { label: t('code'), cell: (d) => d.code },
              { label: t('name'), cell: (d) => d.name },
              { label: t('taxCode'), cell: (d) => d.taxCode },
            ]}
          />
        )}
      </Section>
      <Section title={`${t('add')}: ${t('department')}`}>
        <form class="grid" onSubmit={add}>
          <ProblemBox problem={problem} />
          <Field label={t('code')} name="body.code" problem={problem} value={form.code} onInput={(code) => setForm({ ...form, code })} required />
          <Field label={t('name')} name="body.name" problem={problem} value={form.name} onInput={(name) => setForm({ ...form, name })} required />
          <Field label={t('taxCode')} name="body.taxCode" problem={problem} value={form.taxCode} onInput={(taxCode) => setForm({ ...form, taxCode })} required />
          <Field label={t('address')} name="body.address" problem={problem} value={form.address} onInput={(address) => setForm({ ...form, address })} />
          <button type="submit" class="primary" disabled={busy}>
            {t('add')}
          </button>
        </form>
      </Section>
    </>
  );
}

/** The fee catalog of one department: add a fee, change its amount, stop using it. */
export function FeesScreen() {
  const choice = useDepartmentChoice();
  const { departments, chosen } = choice;
  const fees = useLoad(() => (chosen ? allFees(chosen) : Promise.resolve([] as Schemas['Fee'][])), [chosen]);
  const [form, setForm] = useState({ code: '', name: '', kind: 'fee', amount: '' });
  const [added, setAdded] = useState('');
  const { busy, problem, run } = useAction();
  const add = (e: Event) => {
    e.preventDefault();
    setAdded('');
    void run(async () => {
      const fee = await must(
        api.POST('/v1/fees', {
          body: { code: form.code, department: chosen, name: form.name, kind: form.kind as 'fee', amount: wholeAmount(parseWhole(form.amount), 'body.amount', t('wholeNumber')) },
        }),
      );
      setAdded(fee.name);
      setForm({ code: '', name: '', kind: 'fee', amount: '' });
      fees.reload();
    });
  };
  const toggle = (fee: Schemas['Fee']) =>
    void run(async () => {
      await must(api.PATCH('/v1/fees/{code}', { params: { path: { code: fee.code } }, body: { active: !fee.active } }));
      fees.reload();
    });
  if (!departments.data) return departments.problem ? <ProblemBox problem={departments.problem} /> : <Loading />;
  return (
    <>
      <Section title={t('fees')}>
        <DepartmentSelect choice={choice} name="department" />
        <ProblemBox problem={fees.problem} />
        <Table
          rows={fees.data ?? []}
          rowKey={(f) => f.code}
          columns={[
            { label: t('code'), cell: (f) => f.code },
            { label: t('name'), cell: (f) => f.name },
            { label: t('kind'), cell: (f) => t(f.kind as Word) },
            { label: t('amount'), amount: true, cell: (f) => vnd(f.amount) },
            {
              label: t('active'),
              cell: (f) => (
                <label>
                  <input type="checkbox" checked={f.active} onChange={() => toggle(f)} /> <span class="visually-hidden">{`${t('active')}: ${f.name}`}</span>
                </label>
              ),
            },
          ]}
        />
      </Section>
      <Section title={`${t('add')}: ${t('fee')}`}>
        <form class="grid" onSubmit={add}>
          <ProblemBox problem={problem} />
          <Field label={t('code')} name="body.code" problem={problem} value={form.code} onInput={(code) => setForm({ ...form, code })} required />
          <Field label={t('name')} name="body.name" problem={problem} value={form.name} onInput={(name) => setForm({ ...form, name })} required />
          <Select label={t('kind')} name="body.kind" problem={problem} value={form.kind} onChange={(kind) => setForm({ ...form, kind })} options={kinds()} />
          <Field label={t('amount')} name="body.amount" problem={problem} value={form.amount} onInput={(amount) => setForm({ ...form, amount })} inputMode="numeric" required />
          <button type="submit" class="primary" disabled={busy}>
            {t('add')}
          </button>
          {added ? <span role="status"> ✓ {added}</span> : null}
        </form>
      </Section>
    </>
  );
}

export function SeriesScreen() {
  const list = useLoad(() => must(api.GET('/v1/series', { params: { query: { limit: 100 } } })), []);
  const choice = useDepartmentChoice();
  const today = vietnamToday();
  const [form, setForm] = useState({ series: `${today.slice(2, 4)}T`, rangeFrom: '1', rangeTo: '', notifiedOn: today, from: today, to: `${today.slice(0, 4)}-12-31` });
  const { busy, problem, run } = useAction();
  const add = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await must(
        api.POST('/v1/series', {
          body: {
            series: form.series,
            department: choice.chosen,
            rangeFrom: wholeAmount(parseWhole(form.rangeFrom), 'body.rangeFrom', t('wholeNumber')),
            rangeTo: wholeAmount(parseWhole(form.rangeTo), 'body.rangeTo', t('wholeNumber')),
            delegation: { notifiedOn: form.notifiedOn, from: form.from, to: form.to },
          },
        }),
      );
      list.reload();
    });
  };
  return (
    <>
      <Section title={t('series')}>
        <ProblemBox problem={list.problem} />
        {!list.data ? (
          <Loading />
        ) : (
          <Table
            rows={list.data.data}
            rowKey={(s) => s.id}
            columns={[
              { label: t('series'), cell: (s) => s.series },
              { label: t('department'), cell: (s) => s.department },
              { label: t('rangeFrom'), amount: true, cell: (s) => s.rangeFrom },
              { label: t('rangeTo'), amount: true, cell: (s) => s.rangeTo },
              { label: t('number'), amount: true, cell: (s) => s.nextNumber },
              { label: t('effectiveFrom'), cell: (s) => (s.delegation ? `${dmy(s.delegation.from)} – ${dmy(s.delegation.to)}` : '') },
            ]}
          />
        )}
      </Section>
      <Section title={`${t('add')}: ${t('series')}`}>
        <form class="grid" onSubmit={add}>
          <ProblemBox problem={problem} />
          <Field label={t('series')} name="body.series" problem={problem} value={form.series} onInput={(series) => setForm({ ...form, series })} required />
          <DepartmentSelect choice={choice} name="body.department" problem={problem} />
          <Field label={t('rangeFrom')} name="body.rangeFrom" problem={problem} value={form.rangeFrom} onInput={(rangeFrom) => setForm({ ...form, rangeFrom })} inputMode="numeric" required />
          <Field label={t('rangeTo')} name="body.rangeTo" problem={problem} value={form.rangeTo} onInput={(rangeTo) => setForm({ ...form, rangeTo })} inputMode="numeric" required />
          <Field label="notifiedOn" name="body.delegation.notifiedOn" problem={problem} type="date" value={form.notifiedOn} onInput={(notifiedOn) => setForm({ ...form, notifiedOn })} />
          <Field label={t('from')} name="body.delegation.from" problem={problem} type="date" value={form.from} onInput={(from) => setForm({ ...form, from })} />
          <Field label={t('to')} name="body.delegation.to" problem={problem} type="date" value={form.to} onInput={(to) => setForm({ ...form, to })} />
          <button type="submit" class="primary" disabled={busy}>
            {t('add')}
          </button>
        </form>
      </Section>
    </>
  );
}

export function ShareRatesScreen() {
  const list = useLoad(() => must(api.GET('/v1/share-rates')), []);
  const choice = useDepartmentChoice();
  const [form, setForm] = useState({ kind: 'fee', rate: '15', effectiveFrom: vietnamToday() });
  const { busy, problem, run } = useAction();
  const set = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await must(
        api.POST('/v1/share-rates', {
          body: {
            department: choice.chosen,
            kind: form.kind as 'fee',
            rateBp: Math.round(Number(form.rate.trim().replace(',', '.')) * 100),
            effectiveFrom: form.effectiveFrom,
          },
        }),
      );
      list.reload();
    });
  };
  return (
    <>
      <Section title={t('shareRates')}>
        <ProblemBox problem={list.problem} />
        {!list.data ? (
          <Loading />
        ) : (
          <Table
            rows={list.data.data}
            rowKey={(r) => `${r.department}-${r.kind}-${r.effectiveFrom}`}
            columns={[
              { label: t('department'), cell: (r) => r.department },
              { label: t('kind'), cell: (r) => t(r.kind as Word) },
              { label: t('rate'), amount: true, cell: (r) => (r.rateBp / 100).toLocaleString('vi-VN') },
              { label: t('effectiveFrom'), cell: (r) => dmy(r.effectiveFrom) },
            ]}
          />
        )}
      </Section>
      <Section title={`${t('add')}: ${t('shareRates')}`}>
        <form class="grid" onSubmit={set}>
          <ProblemBox problem={problem} />
          <DepartmentSelect choice={choice} name="body.department" problem={problem} />
          <Select label={t('kind')} name="body.kind" problem={problem} value={form.kind} onChange={(kind) => setForm({ ...form, kind })} options={kinds()} />
          <Field label={t('rate')} name="body.rateBp" problem={problem} value={form.rate} onInput={(rate) => setForm({ ...form, rate })} inputMode="decimal" required />
          <Field label={t('effectiveFrom')} name="body.effectiveFrom" problem={problem} type="date" value={form.effectiveFrom} onInput={(effectiveFrom) => setForm({ ...form, effectiveFrom })} />
          <button type="submit" class="primary" disabled={busy}>
            {t('save')}
          </button>
        </form>
      </Section>
    </>
  );
}

/** People: their console logins (create, reset the password, revoke) and the API keys of programs. */
export function StaffScreen() {
  const logins = useLoad(() => must(api.GET('/v1/logins')), []);
  const keys = useLoad(() => must(api.GET('/v1/api-keys', { params: { query: { limit: 100 } } })), []);
  const [form, setForm] = useState({ username: '', name: '', role: 'cashier', counter: '' });
  const [secret, setSecret] = useState<{ who: string; value: string } | null>(null);
  const { busy, problem, run } = useAction();
  const create = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const login = await must(
        api.POST('/v1/logins', { body: { username: form.username, name: form.name, role: form.role as 'cashier', counter: form.role === 'cashier' && form.counter ? form.counter : undefined } }),
      );
      setSecret({ who: login.username, value: login.password });
      setForm({ username: '', name: '', role: 'cashier', counter: '' });
      logins.reload();
      keys.reload();
    });
  };
  const [keyForm, setKeyForm] = useState({ name: '', role: 'cashier', counter: '' });
  const createKey = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      const key = await must(
        api.POST('/v1/api-keys', { body: { name: keyForm.name, role: keyForm.role as 'cashier', counter: keyForm.role === 'cashier' && keyForm.counter ? keyForm.counter : undefined } }),
      );
      setSecret({ who: key.name, value: key.secret });
      setKeyForm({ name: '', role: 'cashier', counter: '' });
      keys.reload();
    });
  };
  const reset = (id: string) =>
    void run(async () => {
      const login = await must(api.POST('/v1/logins/{id}/reset-password', { params: { path: { id } } }));
      setSecret({ who: login.username, value: login.password });
      logins.reload();
    });
  /** Every key and login of the person stops, and their sessions end (enable again with POST /v1/staff/{id}/enable). */
  const disablePerson = (staffId: string) =>
    void run(async () => {
      await must(api.POST('/v1/staff/{id}/disable', { params: { path: { id: staffId } } }));
      logins.reload();
      keys.reload();
    });
  const revoke = (id: string) =>
    void run(async () => {
      await must(api.POST('/v1/api-keys/{id}/revoke', { params: { path: { id } } }));
      logins.reload();
      keys.reload();
    });
  const roles: Array<[string, string]> = (['cashier', 'accountant', 'auditor', 'admin'] as const).map((r) => [r, t(r)]);
  return (
    <>
      <ProblemBox problem={problem} />
      {secret ? (
        <p class="secret" role="status">
          {t('shownOnce')} <strong>{secret.who}</strong>: <code data-testid="secret">{secret.value}</code>
        </p>
      ) : null}
      <Section title={t('logins')}>
        <ProblemBox problem={logins.problem} />
        {!logins.data ? (
          <Loading />
        ) : (
          <Table
            rows={logins.data.data}
            rowKey={(l) => l.id}
            columns={[
              { label: t('username'), cell: (l) => l.username },
              { label: t('name'), cell: (l) => l.staff.name },
              { label: t('role'), cell: (l) => t(l.role as Word) },
              { label: t('counter'), cell: (l) => l.counter ?? '' },
              { label: t('status'), cell: (l) => (l.active ? t('active') : t('revoke')) },
              {
                label: t('action'),
                quiet: true,
                cell: (l) =>
                  l.active ? (
                    <>
                      <button type="button" class="link" disabled={busy} onClick={() => reset(l.id)}>
                        {t('resetPassword')}
                      </button>
                      <button type="button" class="link" disabled={busy} onClick={() => revoke(l.keyId)}>
                        {t('revoke')}
                      </button>
                      <button type="button" class="link" disabled={busy} onClick={() => disablePerson(l.staff.id)}>
                        {t('disablePerson')}
                      </button>
                    </>
                  ) : null,
              },
            ]}
          />
        )}
      </Section>
      <Section title={t('newLogin')}>
        <form class="grid" onSubmit={create}>
          <Field label={t('username')} name="body.username" problem={problem} value={form.username} onInput={(username) => setForm({ ...form, username })} required />
          <Field label={t('name')} name="body.name" problem={problem} value={form.name} onInput={(name) => setForm({ ...form, name })} required />
          <Select label={t('role')} name="body.role" problem={problem} value={form.role} onChange={(role) => setForm({ ...form, role })} options={roles} />
          {form.role === 'cashier' ? <Field label={t('counter')} name="body.counter" problem={problem} value={form.counter} onInput={(counter) => setForm({ ...form, counter })} /> : null}
          <button type="submit" class="primary" disabled={busy}>
            {t('newLogin')}
          </button>
        </form>
      </Section>
      <Section title={t('apiKeys')}>
        <ProblemBox problem={keys.problem} />
        {!keys.data ? (
          <Loading />
        ) : (
          <Table
            rows={keys.data.data}
            rowKey={(k) => k.id}
            columns={[
              { label: t('name'), cell: (k) => k.name },
              { label: t('role'), cell: (k) => t(k.role as Word) },
              { label: t('kind'), cell: (k) => k.kind },
              { label: t('code'), cell: (k) => <code>{k.prefix}…</code> },
              { label: t('status'), cell: (k) => (k.revokedAt ? `${t('revoke')} ${dmy(k.revokedAt)}` : t('active')) },
              {
                label: t('action'),
                quiet: true,
                cell: (k) =>
                  k.revokedAt ? null : (
                    <button type="button" class="link" disabled={busy} onClick={() => revoke(k.id)}>
                      {t('revoke')}
                    </button>
                  ),
              },
            ]}
          />
        )}
        <form class="grid" onSubmit={createKey} aria-label={t('newKey')}>
          <Field label={t('name')} name="body.name" problem={problem} value={keyForm.name} onInput={(name) => setKeyForm({ ...keyForm, name })} required />
          <Select label={t('role')} name="body.role" problem={problem} value={keyForm.role} onChange={(role) => setKeyForm({ ...keyForm, role })} options={[...roles, ['monitor', 'monitor']]} />
          {keyForm.role === 'cashier' ? <Field label={t('counter')} name="body.counter" problem={problem} value={keyForm.counter} onInput={(counter) => setKeyForm({ ...keyForm, counter })} /> : null}
          <button type="submit" disabled={busy}>
            {t('newKey')}
          </button>
        </form>
      </Section>
    </>
  );
}
