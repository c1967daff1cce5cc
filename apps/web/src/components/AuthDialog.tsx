import { useState, type FormEvent } from 'react';
import { accounts, testFunds } from '../api/account.ts';
import { errorText } from '../api/http.ts';
import { useSession } from '../hooks/session.tsx';
import { Modal } from './Modal.tsx';

export type AuthMode = 'login' | 'register' | 'key';

const TITLES: Record<AuthMode, string> = { login: 'Log in', register: 'Create account', key: 'Use an API key' };

/** Log in / register with a password, or sign in with an API key (or a fresh faucet account). */
export function AuthDialog({ initial, assets, onClose }: { initial: AuthMode; assets: string[]; onClose: () => void }) {
  const [mode, setMode] = useState<AuthMode>(initial);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [secretKey, setSecret] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const session = useSession();

  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await fn();
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const passwordLogin = async () => {
    const { user, token } = mode === 'register' ? await accounts.register(username, password) : await accounts.login(username, password);
    const key = await accounts.createKey(`web-ui ${new Date().toISOString().slice(0, 16)}`, ['READ', 'TRADE']);
    session.signIn({ user, token, hasSession: true, creds: { apiKey: key.apiKey, secretKey: key.secretKey } });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (mode === 'key') {
      void run(async () => session.signIn({ user: { userId: undefined, username: `Key ${apiKey.slice(0, 6)}…` }, hasSession: false, creds: { apiKey: apiKey.trim(), secretKey: secretKey.trim() } }));
    } else void run(passwordLogin);
  };

  const demo = () =>
    void run(async () => {
      const a = await accounts.faucetAccount(testFunds(assets));
      session.signIn({ user: { userId: a.userId, username: a.username }, hasSession: false, creds: { apiKey: a.apiKey, secretKey: a.secretKey } });
    });

  return (
    <Modal title={TITLES[mode]} onClose={onClose}>
      <div className="seg" role="tablist" aria-label="Sign-in method">
        {(['login', 'register', 'key'] as const).map((m) => (
          <button key={m} type="button" role="tab" aria-selected={mode === m} className={mode === m ? 'seg-on' : ''} onClick={() => { setMode(m); setError(undefined); }}>
            {m === 'login' ? 'Log in' : m === 'register' ? 'Register' : 'API key'}
          </button>
        ))}
      </div>
      <form className="form-col" onSubmit={submit} data-testid="auth-form">
        {mode === 'key' ? (
          <>
            <label>API key<input className="input" value={apiKey} onChange={(e) => setApiKey(e.target.value)} required autoComplete="off" /></label>
            <label>Secret key<input className="input" type="password" value={secretKey} onChange={(e) => setSecret(e.target.value)} required autoComplete="off" /></label>
          </>
        ) : (
          <>
            <label>Username<input className="input" name="username" value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="username" autoFocus /></label>
            <label>Password<input className="input" name="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} required minLength={mode === 'register' ? 8 : 1}
              autoComplete={mode === 'register' ? 'new-password' : 'current-password'} /></label>
          </>
        )}
        {error && <p className="form-error" role="alert" data-testid="auth-error">{error}</p>}
        <button type="submit" className="btn btn-accent btn-block" disabled={busy} data-testid="auth-submit">
          {busy ? 'Please wait…' : mode === 'register' ? 'Create account' : 'Log in'}
        </button>
      </form>
      <div className="divider"><span>or</span></div>
      <button type="button" className="btn btn-ghost btn-block" onClick={demo} disabled={busy} data-testid="demo-account">
        Try a funded demo account (dev faucet)
      </button>
    </Modal>
  );
}
