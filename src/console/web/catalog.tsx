import { useState } from 'preact/hooks';
import { api, must, type Problem, type Schemas } from './api.ts';
import { t } from './i18n.ts';
import { Select, useLoad } from './ui.tsx';

/** Every page of a cursor-paginated list (a catalog is short, but has no fixed bound). */
async function allPages<T>(page: (cursor: string | undefined) => Promise<{ data: T[]; nextCursor?: string | null }>): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | undefined;
  do {
    const next = await page(cursor);
    rows.push(...next.data);
    cursor = next.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

export const allFees = (department: string): Promise<Schemas['Fee'][]> => allPages((cursor) => must(api.GET('/v1/fees', { params: { query: { department, limit: 100, cursor } } })));

export const allDepartments = (): Promise<Schemas['Department'][]> => allPages((cursor) => must(api.GET('/v1/departments', { params: { query: { limit: 100, cursor } } })));

/** The departments, and the one a form is about: the one picked, else the first. */
export function useDepartmentChoice() {
  const departments = useLoad(allDepartments, []);
  const [picked, choose] = useState('');
  return { departments, chosen: picked || departments.data?.[0]?.code || '', choose };
}

export function DepartmentSelect(props: { choice: ReturnType<typeof useDepartmentChoice>; name: string; label?: string; problem?: Problem | null; onChange?: (code: string) => void }) {
  const { choice } = props;
  return (
    <Select
      label={props.label ?? t('department')}
      name={props.name}
      problem={props.problem}
      value={choice.chosen}
      onChange={props.onChange ?? choice.choose}
      options={(choice.departments.data ?? []).map((d) => [d.code, d.name])}
    />
  );
}
