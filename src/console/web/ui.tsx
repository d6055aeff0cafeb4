import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { useCallback, useEffect, useState } from 'preact/hooks';
import { vietnamDate } from '../../time/vietnam.ts';
import { Problem } from './api.ts';
import { t } from './i18n.ts';

/** Loads data when the inputs change; `reload` loads it again. */
export function useLoad<T>(load: () => Promise<T>, inputs: unknown[]): { data: T | undefined; problem: Problem | null; reload: () => void } {
  const [data, setData] = useState<T | undefined>(undefined);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    load().then(
      (d) => {
        if (!live) return;
        setData(d);
        setProblem(null);
      },
      (err: unknown) => live && setProblem(asProblem(err)),
    );
    return () => {
      live = false;
    };
  }, [...inputs, round]);
  return { data, problem, reload: useCallback(() => setRound((r) => r + 1), []) };
}

export const asProblem = (err: unknown): Problem => (err instanceof Problem ? err : new Problem(0, 'NETWORK', err instanceof Error ? err.message : String(err)));

/**
 * Runs a form's action once at a time: `busy` while it runs, and the API's
 * problem kept to show at the top and beside each field it names.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const run = useCallback(async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setProblem(null);
    try {
      return await action();
    } catch (err) {
      setProblem(asProblem(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, problem, run, clear: () => setProblem(null) };
}

/** The API's problem: its code and detail, announced to screen readers. */
export function ProblemBox({ problem }: { problem: Problem | null }) {
  if (!problem) return null;
  return (
    <div class="problem" role="alert">
      <strong>{t('error')}</strong> <code>{problem.code}</code>: {problem.detail}
    </div>
  );
}

let nextId = 0;
const useId = () => useState(() => `f${++nextId}`)[0];

/** A labelled input with the API's message for its field (`name` is the field's path in the problem, e.g. body.payer.name). */
export function Field(props: {
  label: string;
  name: string;
  problem?: Problem | null;
  value: string;
  onInput: (v: string) => void;
  type?: 'text' | 'password' | 'email' | 'date' | 'month' | 'number';
  required?: boolean;
  autoComplete?: string;
  placeholder?: string;
  inputMode?: 'numeric' | 'decimal' | 'email';
  min?: string;
  max?: string;
  step?: string;
}) {
  const id = useId();
  const message = props.problem?.field(props.name);
  // Preact types each input type apart; one field component serves them all.
  const attributes = {
    id,
    name: props.name,
    type: props.type ?? 'text',
    value: props.value,
    required: props.required,
    autoComplete: props.autoComplete,
    placeholder: props.placeholder,
    inputMode: props.inputMode,
    min: props.min,
    max: props.max,
    step: props.step,
    'aria-invalid': message ? 'true' : undefined,
    'aria-describedby': message ? `${id}-error` : undefined,
    onInput: (e: Event) => props.onInput((e.currentTarget as HTMLInputElement).value),
  } as InputHTMLAttributes<HTMLInputElement>;
  return (
    <div class={`field${message ? ' has-error' : ''}`}>
      <label for={id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      <input {...attributes} />
      <FieldError id={id} message={message} />
    </div>
  );
}

export function Select(props: { label: string; name: string; problem?: Problem | null; value: string; onChange: (v: string) => void; options: Array<[string, string]>; required?: boolean }) {
  const id = useId();
  const message = props.problem?.field(props.name);
  return (
    <div class={`field${message ? ' has-error' : ''}`}>
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        value={props.value}
        required={props.required}
        aria-invalid={message ? 'true' : undefined}
        aria-describedby={message ? `${id}-error` : undefined}
        onChange={(e) => props.onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <FieldError id={id} message={message} />
    </div>
  );
}

export interface Column<T> {
  label: string;
  cell: (row: T) => ComponentChildren;
  /** Figures: right-aligned, tabular digits. */
  amount?: boolean;
  /** A column of buttons: its heading is for screen readers only. */
  quiet?: boolean;
}

/** A table of rows, one column definition each: headings scoped for screen readers, amounts aligned; `empty`, if given, stands in for a table without rows. */
export function Table<T>(props: {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string | number;
  testId?: string;
  rowClass?: (row: T) => string | undefined;
  foot?: ComponentChildren;
  empty?: string;
}) {
  if (props.empty !== undefined && props.rows.length === 0) return <p class="muted">{props.empty}</p>;
  return (
    <table class="data" data-testid={props.testId}>
      <thead>
        <tr>
          {props.columns.map((c) => (
            <th key={c.label} scope="col" class={c.amount ? 'amount' : undefined}>
              {c.quiet ? <span class="visually-hidden">{c.label}</span> : c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={props.rowKey(row)} class={props.rowClass?.(row)}>
            {props.columns.map((c) => (
              <td key={c.label} class={c.amount ? 'amount' : c.quiet ? 'actions' : undefined}>
                {c.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      {props.foot}
    </table>
  );
}

/** The API's message for one field, tied to its input by id. */
function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={`${id}-error`}>
      {message}
    </p>
  );
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section class="card">
      <header class="card-head">
        <h2>{title}</h2>
        {actions ? <div class="card-actions">{actions}</div> : null}
      </header>
      {children}
    </section>
  );
}

export const Loading = () => <p class="muted">{t('loading')}</p>;

/** Today in Vietnam, as the service counts days. */
export const vietnamToday = () => vietnamDate(new Date());
