import { useState } from 'react';
import type { MarketMeta, Ticker24h } from '../api/types.ts';
import { accounts, testFunds } from '../api/account.ts';
import { errorText } from '../api/http.ts';
import { useLinkState } from '../hooks/useLink.ts';
import { useSession } from '../hooks/session.tsx';
import type { UserData } from '../hooks/useUserData.ts';
import { MarketSelector } from './MarketSelector.tsx';
import { LinkPill } from './LinkPill.tsx';
import { AuthDialog, type AuthMode } from './AuthDialog.tsx';
import { ApiKeysDialog } from './ApiKeysDialog.tsx';
import { Toast, useToast } from './Toast.tsx';

interface Props {
  markets: MarketMeta[];
  tickers: Record<string, Ticker24h>;
  symbol: string;
  onSymbol(s: string): void;
  userData: UserData;
  route?: 'trade' | 'status';
}

export function Header({ markets, tickers, symbol, onSymbol, userData, route = 'trade' }: Props) {
  const session = useSession();
  const link = useLinkState();
  const [auth, setAuth] = useState<AuthMode>();
  const [keys, setKeys] = useState(false);
  const [busy, setBusy] = useState(false);
  const toast = useToast();
  const assets = [...new Set(markets.flatMap((m) => [m.baseAsset, m.quoteAsset]))];

  const getFunds = async () => {
    if (session.user?.userId === undefined) return;
    setBusy(true);
    try {
      await accounts.faucetDeposit(session.user.userId, testFunds(assets));
      toast.show('Test funds added to your account.', 'ok');
      userData.refresh();
    } catch (e) {
      toast.show(`Could not add test funds: ${errorText(e)}`, 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <header className="topbar">
      <a className="brand" href="./" aria-label="Matchbox home">
        <span className="logo" aria-hidden="true">◆</span><span className="brand-name">Matchbox</span>
      </a>
      <nav className="topbar-nav" aria-label="Pages">
        <a href="#/" aria-current={route === 'trade' ? 'page' : undefined} data-testid="nav-trade">Trade</a>
        <a href="#/status" aria-current={route === 'status' ? 'page' : undefined} data-testid="nav-status">Status</a>
      </nav>
      {route === 'trade' && <MarketSelector markets={markets} tickers={tickers} symbol={symbol} onSymbol={onSymbol} />}
      <div className="topbar-status">
        <LinkPill state={link} label="Market" />
        {session.creds && <LinkPill state={userData.link} label="Account" />}
      </div>
      <nav className="topbar-actions" aria-label="Account">
        {session.user ? (
          <>
            {session.user.userId !== undefined && (
              <button type="button" className="btn btn-accent" onClick={getFunds} disabled={busy} data-testid="get-funds">
                {busy ? 'Adding…' : 'Get test funds'}
              </button>
            )}
            {session.hasSession && <button type="button" className="btn btn-ghost" onClick={() => setKeys(true)}>API keys</button>}
            <span className="user-name" data-testid="user-name">{session.user.username ?? `User ${session.user.userId}`}</span>
            <button type="button" className="btn btn-ghost" onClick={() => void session.signOut()} data-testid="logout">Log out</button>
          </>
        ) : (
          <>
            <button type="button" className="btn btn-ghost" onClick={() => setAuth('login')} data-testid="open-login">Log in</button>
            <button type="button" className="btn btn-accent" onClick={() => setAuth('register')} data-testid="open-register">Register</button>
          </>
        )}
      </nav>
      {auth && <AuthDialog initial={auth} assets={assets} onClose={() => setAuth(undefined)} />}
      {keys && <ApiKeysDialog onClose={() => setKeys(false)} />}
      <Toast state={toast.state} />
    </header>
  );
}
