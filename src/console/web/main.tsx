import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, must, type Schemas, setCsrfToken } from './api.ts';
import { lang, setLang, t, type Word } from './i18n.ts';
import { CenterScreen, DepartmentsScreen, FeesScreen, SeriesScreen, ShareRatesScreen, StaffScreen } from './screens/admin.tsx';
import { ApprovalsScreen, PeriodsScreen, SharesScreen, TransmissionsScreen } from './screens/accountant.tsx';
import { AuditTrailScreen, ReverifyScreen, VerifyScreen } from './screens/auditor.tsx';
import { CounterScreen } from './screens/counter.tsx';
import { ReceiptsScreen } from './screens/receipts.tsx';
import { Field, ProblemBox, useAction } from './ui.tsx';
import './styles.css';

export type Session = Schemas['Session'];

interface Screen {
  path: string;
  word: Word;
  view: (props: { session: Session }) => preact.JSX.Element;
}

/** Each role's screens, in the order of its menu: the first is where the person lands. */
const screens: Record<string, Screen[]> = {
  cashier: [
    { path: 'counter', word: 'counter', view: CounterScreen },
    { path: 'receipts', word: 'receipts', view: ReceiptsScreen },
  ],
  accountant: [
    { path: 'shares', word: 'shares', view: SharesScreen },
    { path: 'approvals', word: 'approvals', view: ApprovalsScreen },
    { path: 'periods', word: 'periods', view: PeriodsScreen },
    { path: 'transmissions', word: 'transmissions', view: TransmissionsScreen },
    { path: 'receipts', word: 'receipts', view: ReceiptsScreen },
  ],
  auditor: [
    { path: 'verify', word: 'verify', view: VerifyScreen },
    { path: 'reverify', word: 'reverify', view: ReverifyScreen },
    { path: 'audit', word: 'auditTrail', view: AuditTrailScreen },
    { path: 'receipts', word: 'receipts', view: ReceiptsScreen },
  ],
  admin: [
    { path: 'staff', word: 'staff', view: StaffScreen },
    { path: 'fees', word: 'fees', view: FeesScreen },
    { path: 'departments', word: 'departments', view: DepartmentsScreen },
    { path: 'series', word: 'series', view: SeriesScreen },
    { path: 'share-rates', word: 'shareRates', view: ShareRatesScreen },
    { path: 'center', word: 'center', view: CenterScreen },
  ],
};

const currentPath = () => location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';

function useHashPath() {
  const [path, setPath] = useState(currentPath());
  useEffect(() => {
    const onChange = () => setPath(currentPath());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return path;
}

function LanguageSwitch() {
  return (
    <button type="button" class="link" onClick={() => setLang(lang.value === 'vi' ? 'en' : 'vi')} lang={lang.value === 'vi' ? 'en' : 'vi'}>
      {t('language')}
    </button>
  );
}

function SignIn({ onSession }: { onSession: (s: Session) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { busy, problem, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => onSession(await must(api.POST('/v1/session', { body: { username, password } }))));
  };
  return (
    <main class="signin">
      <form class="card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">{t('appName')}</h1>
        <ProblemBox problem={problem} />
        <Field label={t('username')} name="body.username" problem={problem} value={username} onInput={setUsername} autoComplete="username" required />
        <Field label={t('password')} name="body.password" problem={problem} value={password} onInput={setPassword} type="password" autoComplete="current-password" required />
        <button type="submit" class="primary" disabled={busy}>
          {t('signIn')}
        </button>
        <p>
          <LanguageSwitch />
        </p>
      </form>
    </main>
  );
}

function ChangePassword({ session, onDone }: { session: Session; onDone: () => void }) {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const { busy, problem, run } = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void run(async () => {
      await must(api.POST('/v1/session/password', { body: { currentPassword, newPassword } }));
      onDone();
    });
  };
  return (
    <main class="signin">
      <form class="card" onSubmit={submit} aria-labelledby="pw-title">
        <h1 id="pw-title">{t('changePassword')}</h1>
        {session.mustChangePassword ? <p>{t('mustChange')}</p> : null}
        <ProblemBox problem={problem} />
        <Field label={t('currentPassword')} name="body.currentPassword" problem={problem} value={currentPassword} onInput={setCurrent} type="password" autoComplete="current-password" required />
        <Field label={t('newPassword')} name="body.newPassword" problem={problem} value={newPassword} onInput={setNew} type="password" autoComplete="new-password" required />
        <button type="submit" class="primary" disabled={busy}>
          {t('changePassword')}
        </button>
      </form>
    </main>
  );
}

function Shell({ session, onSignOut }: { session: Session; onSignOut: () => void }) {
  const path = useHashPath();
  const mine = screens[session.role] ?? [];
  const screen = mine.find((s) => s.path === path) ?? mine[0];
  useEffect(() => {
    if (screen && path !== screen.path) history.replaceState(null, '', `#/${screen.path}`);
  }, [path, screen]);
  const signOut = async () => {
    await api.DELETE('/v1/session');
    onSignOut();
  };
  if (!screen) return <p>{session.role}</p>;
  const View = screen.view;
  return (
    <div class="shell">
      <header class="top">
        <span class="brand">{t('appName')}</span>
        <nav aria-label={t(session.role as Word)}>
          <ul>
            {mine.map((s) => (
              <li key={s.path}>
                <a href={`#/${s.path}`} aria-current={s === screen ? 'page' : undefined}>
                  {t(s.word)}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span class="who">
          {session.staff.name} · {t(session.role as Word)}
          {session.counter ? ` · ${session.counter}` : ''}
        </span>
        <LanguageSwitch />
        <button type="button" class="link" onClick={() => void signOut()}>
          {t('signOut')}
        </button>
      </header>
      <main id="main">
        <h1 class="visually-hidden">{t(screen.word)}</h1>
        <View session={session} key={screen.path} />
      </main>
    </div>
  );
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  // Reading lang here re-renders the whole console when the language changes.
  void lang.value;
  const load = async () => {
    const { data } = await api.GET('/v1/session');
    if (data) setCsrfToken(data.csrfToken);
    setSession(data ?? null);
  };
  useEffect(() => {
    document.documentElement.lang = lang.value;
    void load();
  }, []);
  if (session === undefined) return <p class="loading">{t('loading')}</p>;
  if (session === null) {
    return (
      <SignIn
        onSession={(s) => {
          setCsrfToken(s.csrfToken);
          setSession(s);
        }}
      />
    );
  }
  if (session.mustChangePassword) return <ChangePassword session={session} onDone={() => void load()} />;
  return <Shell session={session} onSignOut={() => setSession(null)} />;
}

render(<App />, document.getElementById('app')!);
